namespace AuditDashboard.Auth;

/// <summary>
/// The temporary lockout of a user name after repeated failed sign-ins. Section <c>Auth:Lockout</c>: after
/// <see cref="MaxFailures"/> failures within <see cref="Window"/>, the user name cannot sign in for
/// <see cref="Duration"/>, not even with the right password.
/// </summary>
public sealed class LockoutOptions
{
    public const string Section = "Auth:Lockout";

    [Range(1, int.MaxValue)]
    public int MaxFailures { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
