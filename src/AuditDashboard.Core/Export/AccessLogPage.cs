namespace AuditDashboard.Core.Export;

/// <summary>
/// A page of access-log entries matching a filter, newest first, and how many matched in all; when
/// <see cref="ScanLimitReached"/>, the search stopped after <see cref="AccessLogSearch.MaxScanned"/> entries, so older
/// matches may exist beyond <see cref="Total"/>.
/// </summary>
public sealed record AccessLogPage(IReadOnlyList<AccessLogEntry> Items, long Total, bool ScanLimitReached);
