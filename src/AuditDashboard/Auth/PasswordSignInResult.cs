namespace AuditDashboard.Auth;

/// <summary>How a sign-in with a password ended; <see cref="RetryAfter"/> says how long a refused one must wait.</summary>
public sealed record PasswordSignInResult(PasswordSignInOutcome Outcome, TimeSpan? RetryAfter = null);
