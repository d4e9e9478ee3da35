namespace AuditDashboard.Core.Corrections;

/// <summary>
/// An approval or a rejection of the proposal <paramref name="ProposalId"/> by <paramref name="Actor"/>. The command's id
/// becomes the decision's event id, so a retried command decides once. <paramref name="Note"/> is the reason: optional
/// for an approval, required (10 to 1,000 characters) for a rejection.
/// </summary>
public sealed record ProposalCommand(string AccountId, Guid ProposalId, Guid CommandId, string Actor, string? Note, string Source);
