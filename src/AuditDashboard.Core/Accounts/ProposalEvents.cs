namespace AuditDashboard.Core.Accounts;

/// <summary>
/// A correction above the approval threshold, waiting for a second Support user. It changes nothing: the correction
/// itself is written only when the proposal is approved. <paramref name="Correction"/> is the wire name of the event it
/// becomes (<see cref="AccountEventTypes.TransactionReversed"/> or <see cref="AccountEventTypes.BalanceCorrected"/>);
/// <paramref name="EventId"/> and <paramref name="EventRevision"/> name the event it is about, if any;
/// <paramref name="Amount"/> is its signed effect on the balance. The proposer and the reason are the metadata's.
/// </summary>
public sealed record CorrectionProposed(string Correction, Guid? EventId, long? EventRevision, decimal Amount, string Currency, DateTimeOffset EffectiveAt) : AccountEvent;

/// <summary>
/// A second Support user approved the proposal <paramref name="ProposalId"/>; the correction follows it in the same
/// append, at the next revision.
/// </summary>
public sealed record CorrectionApproved(Guid ProposalId, long ProposalRevision) : AccountEvent;

/// <summary>The proposal <paramref name="ProposalId"/> was turned down (the reason is the metadata's); nothing was corrected.</summary>
public sealed record CorrectionRejected(Guid ProposalId, long ProposalRevision) : AccountEvent;
