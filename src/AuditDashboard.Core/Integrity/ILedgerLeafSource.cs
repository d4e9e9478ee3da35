namespace AuditDashboard.Core.Integrity;

/// <summary>
/// A store that can read <c>$all</c> for the ledger check straight from its storage, without building a
/// <see cref="RecordedEvent"/> per event. Optional: the check reads any other store through
/// <see cref="IEventStore.ReadAllAsync"/>.
/// </summary>
public interface ILedgerLeafSource
{
    /// <summary>
    /// Hands every event of <c>$all</c> from <paramref name="fromPosition"/> on, in commit order, to <paramref name="sink"/> until
    /// the store ends or the sink returns false. Blocking: the check calls it on a thread of its own, so the next events are
    /// read while the ones before them are hashed.
    /// </summary>
    void ReadLeaves(long fromPosition, LeafSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Completes when events may have been appended since the call: at the next append, or after an interval that lets a
    /// follower see appends it is not told of (another process's), or on cancellation. The sealer takes it before it reads, so
    /// an append that commits after the read completes it and none is slept through.
    /// </summary>
    Task NextAppendAsync(CancellationToken cancellationToken);
}
