namespace AuditDashboard.Configuration;

/// <summary>
/// How much history the dashboard keeps folded in memory (section <c>Timelines</c>). A folded event costs about a
/// kilobyte; timelines someone is viewing are kept beyond these limits.
/// </summary>
public sealed class TimelineCacheOptions
{
    public const string Section = "Timelines";

    [Range(1, 100_000, ErrorMessage = "Timelines:MaxAccounts must be between 1 and 100000.")]
    public int MaxAccounts { get; set; } = 32;

    [Range(1, 1_000_000_000, ErrorMessage = "Timelines:MaxEvents must be between 1 and 1000000000.")]
    public long MaxEvents { get; set; } = 1_000_000;
}
