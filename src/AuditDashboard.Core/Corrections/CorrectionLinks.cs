namespace AuditDashboard.Core.Corrections;

/// <summary>
/// The one place that knows how an account's corrections, proposals and decisions point at each other, as the account
/// was at one revision: whether an event may still be reversed, what reversed or corrected it, which proposals wait for
/// a decision and what decided the others. The correction rules, the proposal search and the timeline all ask here.
/// </summary>
public sealed class CorrectionLinks
{
    private readonly CorrectionIndex _index;
    private readonly long _through;

    internal CorrectionLinks(CorrectionIndex index, long? through)
    {
        _index = index;
        _through = through ?? -1;
    }

    /// <summary>
    /// The links of <paramref name="timeline"/>: a snapshot's own, kept as its timeline was folded; for any other list of
    /// entries (in stream order), an index built from it now.
    /// </summary>
    public static CorrectionLinks Of(IReadOnlyList<TimelineEntry> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return timeline is TimelineSnapshot snapshot ? snapshot.Links : CorrectionIndex.Of(timeline).AsOf(long.MaxValue);
    }

    /// <summary>The entry whose event id is <paramref name="eventId"/> (the newest, should a store hold it twice), or null.</summary>
    public TimelineEntry? Find(Guid eventId) => _index.Find(eventId, _through);

    /// <summary>The reversal of <paramref name="eventId"/>, or null while it is not reversed.</summary>
    public TimelineEntry? ReversalOf(Guid eventId) => _index.FirstReversalOf(eventId, _through);

    /// <summary>What corrected <paramref name="eventId"/>: its reversal, or else the first adjustment about it; null when nothing did.</summary>
    public TimelineEntry? CorrectionOf(Guid eventId) =>
        _index.FirstReversalOf(eventId, _through) ?? _index.FirstAdjustmentOf(eventId, _through);

    /// <summary>The entry a correction (a reversal, or an adjustment about an event) corrects, when this account holds it.</summary>
    public TimelineEntry? CorrectedBy(TimelineEntry correction)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return correction.Event switch
        {
            TransactionReversed r => Find(r.ReversedEventId),
            BalanceCorrected { ReferencedEventId: { } about } => Find(about),
            _ => null,
        };
    }

    /// <summary>
    /// The first proposal to reverse <paramref name="eventId"/> that still awaits a decision, leaving out
    /// <paramref name="except"/> (the proposal being approved does not block itself); null when none waits.
    /// </summary>
    public TimelineEntry? PendingReversalOf(Guid eventId, Guid? except = null) =>
        _index.FirstPendingReversalProposalOf(eventId, except, _through);

    /// <summary>The proposals that no approval or rejection has decided yet, oldest first.</summary>
    public IReadOnlyList<TimelineEntry> Pending() => _index.Pending(_through);

    /// <summary>The approval or rejection of <paramref name="proposalId"/>, or null while it is pending.</summary>
    public TimelineEntry? DecisionOf(Guid proposalId) => _index.FirstDecisionOf(proposalId, _through);

    /// <summary>
    /// Why <paramref name="target"/> may not be reversed, or null when it may: only a deposit or withdrawal that moved
    /// money, once, and not while a reversal of it awaits approval (unless <paramref name="approving"/> is that proposal).
    /// </summary>
    public string? ReversalRefusal(TimelineEntry target, Guid? approving = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Event is not (FundsDeposited or FundsWithdrawn) || target.Warning is not (EntryWarning.None or EntryWarning.MetadataUnreadable))
        {
            return target.Event is FundsDeposited or FundsWithdrawn
                ? $"Revision {target.Revision} did not move money (it is flagged: {target.Problem}); adjust the balance instead."
                : $"Only deposits and withdrawals can be reversed; revision {target.Revision} is {target.EventType}.";
        }

        if (ReversalOf(target.Record.EventId) is { } earlier)
            return $"Revision {target.Revision} was already reversed by revision {earlier.Revision}.";

        if (PendingReversalOf(target.Record.EventId, approving) is { } proposed)
            return $"Revision {target.Revision} is already proposed for reversal (revision {proposed.Revision}, awaiting approval); approve or reject that proposal first.";

        return null;
    }

    /// <summary>Whether <paramref name="target"/> may be reversed now (see <see cref="ReversalRefusal"/>).</summary>
    public bool MayReverse(TimelineEntry target) => ReversalRefusal(target) is null;
}
