using AuditDashboard.Core.Export;
namespace AuditDashboard.Access;

/// <summary>How looks at account data are put on the record (section <c>AccessLog</c>).</summary>
public sealed class AccessLogOptions
{
    public const string Section = "AccessLog";

    /// <summary>Looks by one caller at one account from one address within this window are one access-log event.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "AccessLog:BatchWindow must be between 00:00:01 and 1.00:00:00 (one day), e.g. 00:05:00.")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many batches may wait for the store while it does not answer; beyond, the oldest are dropped and logged.</summary>
    [Range(100, 10_000_000, ErrorMessage = "AccessLog:MaxPending must be between 100 and 10000000.")]
    public int MaxPending { get; set; } = AccessRecorder.DefaultMaxPending;
}
