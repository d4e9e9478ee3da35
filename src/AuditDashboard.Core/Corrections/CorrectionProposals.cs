using System.Collections.Concurrent;
using AuditDashboard.Core.Live;

namespace AuditDashboard.Core.Corrections;

public enum ProposalStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>One proposal and, once decided, its decision: a row of the "Pending corrections" page.</summary>
public sealed record ProposalView(
    Guid ProposalId,
    string AccountId,
    long Revision,
    DateTimeOffset ProposedAt,
    string ProposedBy,
    string Reason,
    CorrectionProposed Proposal,
    ProposalStatus Status = ProposalStatus.Pending,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? DecisionReason = null,
    long? DecisionRevision = null)
{
    /// <summary>Whether <paramref name="user"/> proposed it (names compare case-insensitively, as the approval check does); never for an unknown author.</summary>
    public bool IsProposedBy(string? user) =>
        ProposedBy != CorrectionProposals.UnknownActor && string.Equals(ProposedBy, user, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Every proposal in the ledger with its decision, kept up to date by the ledger feed (loaded at a start from the events
/// the read-model store keeps): the read model behind the "Pending corrections" page, so listing proposals never reads
/// an account's stream.
/// </summary>
public sealed class CorrectionProposals
{
    /// <summary>Shown for an author whose metadata does not parse.</summary>
    public const string UnknownActor = "(unknown)";

    private readonly ConcurrentDictionary<Guid, ProposalView> _proposals = new();
    private readonly ChangeSubscribers _subscribers = new();

    /// <summary>Raised after a proposal was made or decided, with it.</summary>
    public event EventHandler<ProposalView>? Changed;

    /// <summary>Calls <paramref name="onChange"/> after a proposal was made or decided, until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    public int PendingCount => _proposals.Values.Count(p => p.Status == ProposalStatus.Pending);

    public ProposalView? Find(Guid proposalId) => _proposals.GetValueOrDefault(proposalId);

    /// <summary>The proposals waiting for a decision, oldest first.</summary>
    public IReadOnlyList<ProposalView> Pending() =>
        _proposals.Values.Where(p => p.Status == ProposalStatus.Pending).OrderBy(p => p.ProposedAt).ThenBy(p => p.AccountId, StringComparer.Ordinal).ToList();

    /// <summary>The <paramref name="take"/> most recently decided proposals, newest first.</summary>
    public IReadOnlyList<ProposalView> Decided(int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return _proposals.Values.Where(p => p.Status != ProposalStatus.Pending).OrderByDescending(p => p.DecidedAt).Take(take).ToList();
    }

    /// <summary>Takes in one more event of the account; only proposals and decisions matter here.</summary>
    public void Apply(string accountId, RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!AccountEventTypes.FourEyes.Contains(record.EventType))
            return;

        var decoded = AccountEventCodec.Decode(record);
        ProposalView? changed = decoded.Event switch
        {
            CorrectionProposed proposed => Propose(new ProposalView(
                record.EventId, accountId, record.Revision, record.Created, decoded.Metadata?.Actor ?? UnknownActor, decoded.Metadata?.Reason ?? "", proposed)),
            CorrectionApproved a => Decide(a.ProposalId, ProposalStatus.Approved, record, decoded.Metadata),
            CorrectionRejected r => Decide(r.ProposalId, ProposalStatus.Rejected, record, decoded.Metadata),
            _ => null,
        };
        if (changed is not null)
        {
            Changed?.Invoke(this, changed);
            _subscribers.Notify();
        }
    }

    private ProposalView? Propose(ProposalView proposal) => _proposals.TryAdd(proposal.ProposalId, proposal) ? proposal : null;

    private ProposalView? Decide(Guid proposalId, ProposalStatus status, RecordedEvent record, EventMetadata? metadata)
    {
        if (!_proposals.TryGetValue(proposalId, out var proposal) || proposal.Status != ProposalStatus.Pending)
            return null;

        var decided = proposal with
        {
            Status = status,
            DecidedBy = metadata?.Actor ?? UnknownActor,
            DecidedAt = record.Created,
            DecisionReason = metadata?.Reason,
            DecisionRevision = record.Revision,
        };
        _proposals[proposalId] = decided;
        return decided;
    }
}
