namespace AuditDashboard.Core.Export;

/// <summary>
/// One look at account data, as the caller knows it: who, what, which account (or which search filters), from where,
/// and how it ended. <see cref="AccessRecorder"/> gives it its time and merges it into a batch.
/// </summary>
public sealed record AccessLook(
    string Who,
    AccessAction Action,
    string? AccountId,
    string? Filters,
    string? ClientAddress,
    string? UserAgent,
    AccessOutcome Outcome = AccessOutcome.Allowed);
