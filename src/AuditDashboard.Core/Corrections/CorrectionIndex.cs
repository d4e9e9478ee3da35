namespace AuditDashboard.Core.Corrections;

/// <summary>
/// The links of one account's history, kept up to date as its events are folded: which event each correction and each
/// proposal is about, and which approval or rejection decided each proposal. <see cref="AsOf"/> answers from it as the
/// account was at a revision, so a timeline's snapshots share one index and each still answers for its own moment.
/// <para>
/// Appended to by one writer (the timeline, in revision order) while any number of readers ask: every access holds a
/// lock, which costs nothing beside a page render or a rule check. An event counts as soon as it could be read, even
/// when it could not apply (a flagged reversal still names what it reversed: reversing that again is refused).
/// </para>
/// </summary>
public sealed class CorrectionIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, TimelineEntry> _byId = [];

    // Event ids are unique per stream, except where a store wrote the same id again (EventStoreDB does on a repeat at the
    // current revision): the later entries, kept apart so the common case costs one slot per event.
    private readonly Dictionary<Guid, List<TimelineEntry>> _repeated = [];
    private readonly Dictionary<Guid, List<TimelineEntry>> _reversals = [];
    private readonly Dictionary<Guid, List<TimelineEntry>> _adjustments = [];
    private readonly Dictionary<Guid, List<TimelineEntry>> _reversalProposals = [];
    private readonly Dictionary<Guid, List<TimelineEntry>> _decisions = [];
    private readonly List<TimelineEntry> _proposals = [];

    /// <summary>The index of <paramref name="timeline"/>, built in one pass.</summary>
    public static CorrectionIndex Of(IEnumerable<TimelineEntry> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var index = new CorrectionIndex();
        foreach (var entry in timeline)
            index.Add(entry);
        return index;
    }

    /// <summary>Takes in the account's next entry. Entries come in stream order: answers as of a revision rely on it.</summary>
    public void Add(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (!_byId.TryAdd(entry.Record.EventId, entry))
                Append(_repeated, entry.Record.EventId, entry);

            switch (entry.Event)
            {
                case TransactionReversed r:
                    Append(_reversals, r.ReversedEventId, entry);
                    break;
                case BalanceCorrected { ReferencedEventId: { } about }:
                    Append(_adjustments, about, entry);
                    break;
                case CorrectionProposed p:
                    _proposals.Add(entry);
                    if (p is { Correction: AccountEventTypes.TransactionReversed, EventId: { } target })
                        Append(_reversalProposals, target, entry);
                    break;
                case CorrectionApproved a:
                    Append(_decisions, a.ProposalId, entry);
                    break;
                case CorrectionRejected r:
                    Append(_decisions, r.ProposalId, entry);
                    break;
            }
        }
    }

    /// <summary>The answers as the account was after <paramref name="revision"/> (null: before its first event).</summary>
    public CorrectionLinks AsOf(long? revision) => new(this, revision);

    internal TimelineEntry? Find(Guid eventId, long through)
    {
        lock (_gate)
        {
            if (_repeated.TryGetValue(eventId, out var repeats) && Last(repeats, through) is { } repeat)
                return repeat;
            return _byId.TryGetValue(eventId, out var entry) && entry.Revision <= through ? entry : null;
        }
    }

    internal TimelineEntry? FirstReversalOf(Guid eventId, long through)
    {
        lock (_gate)
            return First(_reversals, eventId, through);
    }

    internal TimelineEntry? FirstAdjustmentOf(Guid eventId, long through)
    {
        lock (_gate)
            return First(_adjustments, eventId, through);
    }

    internal TimelineEntry? FirstDecisionOf(Guid proposalId, long through)
    {
        lock (_gate)
            return First(_decisions, proposalId, through);
    }

    internal TimelineEntry? FirstPendingReversalProposalOf(Guid eventId, Guid? except, long through)
    {
        lock (_gate)
        {
            if (!_reversalProposals.TryGetValue(eventId, out var proposals))
                return null;
            foreach (var proposal in proposals)
            {
                if (proposal.Revision > through)
                    break;
                if (proposal.Record.EventId != except && IsPending(proposal, through))
                    return proposal;
            }

            return null;
        }
    }

    internal List<TimelineEntry> Pending(long through)
    {
        lock (_gate)
        {
            var pending = new List<TimelineEntry>();
            foreach (var proposal in _proposals)
            {
                if (proposal.Revision > through)
                    break;
                if (IsPending(proposal, through))
                    pending.Add(proposal);
            }

            return pending;
        }
    }

    // Under the lock. Pending until an approval or rejection naming it comes after it; one before it (another writer's
    // stray decision) decides nothing.
    private bool IsPending(TimelineEntry proposal, long through) =>
        !_decisions.TryGetValue(proposal.Record.EventId, out var decisions)
        || !decisions.Exists(d => d.Revision > proposal.Revision && d.Revision <= through);

    private static void Append(Dictionary<Guid, List<TimelineEntry>> links, Guid key, TimelineEntry entry)
    {
        if (!links.TryGetValue(key, out var list))
            links[key] = list = new List<TimelineEntry>(1);
        list.Add(entry);
    }

    private static TimelineEntry? First(Dictionary<Guid, List<TimelineEntry>> links, Guid key, long through) =>
        links.TryGetValue(key, out var list) && list[0].Revision <= through ? list[0] : null;

    private static TimelineEntry? Last(List<TimelineEntry> entries, long through)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].Revision <= through)
                return entries[i];
        }

        return null;
    }
}
