using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.EventStore;

/// <summary>
/// The event store port. Adapters move opaque events; they know nothing of accounts.
/// Semantics follow EventStoreDB: streams with zero-based revisions, a global commit position,
/// optimistic concurrency on append, idempotent re-append of the same event ids.
/// </summary>
public interface IEventStore
{
    /// <summary>Creates what the store needs and proves it is usable; throws <see cref="EventStoreUnavailableException"/> otherwise.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Cheap round trip used by readiness checks.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> atomically. Throws <see cref="WrongExpectedRevisionException"/> when
    /// the stream does not meet <paramref name="expected"/>, unless the same event ids are already stored at the
    /// positions this append would give them: then nothing is written and the earlier result is returned.
    /// </summary>
    Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends to several streams, each checked as <see cref="AppendAsync"/> checks it, for bulk loads. A store that can
    /// commits them in one transaction (all or none, one commit time); this default appends them one after another, so a
    /// refusal leaves the streams before it written. The results are in the order of <paramref name="appends"/>.
    /// </summary>
    async Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var results = new List<AppendResult>(appends.Count);
        foreach (var append in appends)
            results.Add(await AppendAsync(append.StreamId, append.Expected, append.Events, cancellationToken));
        return results;
    }

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of one stream starting at <paramref name="fromRevision"/> (inclusive).
    /// A stream that does not exist reads as empty.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default);

    /// <summary>The stream's last revision, or null when it has no events.</summary>
    Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of all streams in commit order starting at
    /// <paramref name="fromPosition"/> (inclusive), optionally only streams whose id starts with <paramref name="streamPrefix"/>.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The events at these <c>$all</c> positions, in the order given; a position that holds no event is left out. This
    /// default reads them one at a time; a store that can fetch many at once does.
    /// </summary>
    async IAsyncEnumerable<RecordedEvent> ReadPositionsAsync(IReadOnlyList<long> positions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var position in positions)
        {
            await foreach (var record in ReadAllAsync(Direction.Forwards, position, 1, null, cancellationToken))
            {
                if (record.Position == position)
                    yield return record;
            }
        }
    }

    /// <summary>
    /// Catch-up subscription to one stream: every event after <paramref name="afterRevision"/> (null: from the first),
    /// then <see cref="SubscriptionMessage.CaughtUp"/>, then live events as they are appended, with no gap and no duplicate.
    /// Ends when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Catch-up subscription to <c>$all</c>: every event after <paramref name="afterPosition"/> (null: from the first) in commit
    /// order, optionally filtered by stream prefix, then <see cref="SubscriptionMessage.CaughtUp"/>, then live events.
    /// </summary>
    IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default);
}
