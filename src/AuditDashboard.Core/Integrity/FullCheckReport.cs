namespace AuditDashboard.Core.Integrity;

/// <summary>The outcome of a whole pass over the ledger.</summary>
public sealed record FullCheckReport(DateTimeOffset FinishedAt, bool Intact, long LeavesChecked, int SealsChecked, TimeSpan Elapsed, string Summary);
