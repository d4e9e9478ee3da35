namespace AuditDashboard.Core.Integrity;

/// <summary>How far a check has come: leaves checked of the leaves sealed.</summary>
public readonly record struct LedgerCheckProgress(long LeavesChecked, long LeavesSealed);
