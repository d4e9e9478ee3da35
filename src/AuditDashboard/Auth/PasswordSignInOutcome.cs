namespace AuditDashboard.Auth;

public enum PasswordSignInOutcome
{
    /// <summary>The cookie is set; the session has begun.</summary>
    SignedIn,

    /// <summary>The user name or password is not right.</summary>
    Refused,

    /// <summary>Too many attempts from this address or for this user name; the rate limiter answered.</summary>
    Throttled,

    /// <summary>The user name is locked out after repeated failures, the right password notwithstanding.</summary>
    LockedOut,
}
