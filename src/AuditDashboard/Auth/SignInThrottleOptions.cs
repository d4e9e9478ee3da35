namespace AuditDashboard.Auth;

/// <summary>
/// How fast anyone may try to sign in. Section <c>Auth:Throttle</c>. Sign-in form posts count per client address and
/// per user name; API keys that match none count per client address. Over a limit the answer is 429 with Retry-After
/// until the window ends.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Auth:Throttle";

    /// <summary>Sign-in attempts from one client address per window: enough for an office behind one address.</summary>
    [Range(1, int.MaxValue)]
    public int PerClientAddress { get; set; } = 30;

    /// <summary>Sign-in attempts for one user name per window, from anywhere.</summary>
    [Range(1, int.MaxValue)]
    public int PerUserName { get; set; } = 10;

    /// <summary>Requests with an API key that matches none, from one client address per window.</summary>
    [Range(1, int.MaxValue)]
    public int ApiKeyFailuresPerClientAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
