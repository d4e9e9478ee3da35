namespace AuditDashboard.Core.Corrections;

/// <summary>
/// A correction as posted: the request, the revision the poster was looking at, and the command's id, which becomes
/// the event's id so that a retried or double-clicked command writes once.
/// </summary>
public sealed record CorrectionCommand(string AccountId, CorrectionRequest Request, long ExpectedRevision, Guid CommandId, string Actor, string CorrelationId, string Source);
