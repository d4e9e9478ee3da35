namespace AuditDashboard.Accounts;

/// <summary>The audit questions every event answers: who wrote it, why, in which flow, caused by what, from which system.</summary>
public sealed record EventMetadata(string Actor, string Reason, string CorrelationId, string? CausationId, string Source);
