namespace AuditDashboard.Core.Accounts;

/// <summary>
/// The audit questions every event answers: who wrote it, why, in which flow, caused by what, from which system; and,
/// for a correction written on approval, who approved it (<paramref name="ApprovedBy"/>, else null).
/// </summary>
public sealed record EventMetadata(string Actor, string Reason, string CorrelationId, string? CausationId, string Source, string? ApprovedBy = null);
