namespace AuditDashboard.Configuration;

/// <summary>
/// How much history the dashboard keeps folded in memory (section <c>Timelines</c>). A folded event costs about a
/// kilobyte and its stored data; timelines someone is viewing are kept beyond these limits.
/// </summary>
public sealed class TimelineCacheOptions
{
    public const string Section = "Timelines";

    [Range(1, 100_000, ErrorMessage = "Timelines:MaxAccounts must be between 1 and 100000.")]
    public int MaxAccounts { get; set; } = 32;

    /// <summary>The memory all loaded accounts nobody is viewing may hold together, in megabytes.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Timelines:CacheMegabytes must be between 1 and 1000000.")]
    public int CacheMegabytes { get; set; } = (int)(AccountTimelines.DefaultMaxCachedBytes / 1024 / 1024);

    /// <summary>
    /// An account with more events than this is not read whole for its page's recorded view: each position is read from
    /// the account's marks when shown; its export is read the same way, and its correction dialogs and a correction posted
    /// or decided read a compact snapshot of it (see <see cref="CorrectionReads"/>).
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Timelines:WindowAbove must be 0 or more.")]
    public int WindowAbove { get; set; } = 50_000;

    /// <summary>
    /// How far apart two deposits or two withdrawals with one reference, amount and currency may be recorded and still be
    /// flagged as a possible duplicate on the account's timeline (see <see cref="PossibleDuplicates"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Timelines:DuplicateWindow must be between 00:00:01 and 7.00:00:00 (7 days).")]
    public TimeSpan DuplicateWindow { get; set; } = PossibleDuplicates.DefaultWindow;
}
