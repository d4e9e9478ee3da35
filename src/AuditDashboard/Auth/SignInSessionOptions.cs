namespace AuditDashboard.Auth;

/// <summary>
/// How long a sign-in lasts. Section <c>Auth:Session</c>. Besides the cookie's sliding expiry (8 hours without a
/// request), a session ends <see cref="AbsoluteLifetime"/> after sign-in however busy it is.
/// </summary>
public sealed class SignInSessionOptions
{
    public const string Section = "Auth:Session";

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
}
