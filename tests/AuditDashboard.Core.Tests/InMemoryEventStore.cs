using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.Tests;

/// <summary>
/// An <see cref="IEventStore"/> held in memory, for tests of what sits on top of the port. It keeps the whole contract
/// (the adapter tests run the store contract suite against it): expected revisions, idempotent repeats of an earlier
/// append, <c>$all</c> positions from 1 in commit order, the prefix filter, catch-up subscriptions, and a commit time
/// from the given clock that never goes back.
/// </summary>
internal sealed class InMemoryEventStore(TimeProvider? timeProvider = null) : IEventStore
{
    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _all = [];
    private readonly Dictionary<string, StoredStream> _streams = new(StringComparer.Ordinal);

    // Swapped under the gate by every append that writes, so a subscriber that read under the gate and then waits on
    // the task it saw there misses nothing appended in between.
    private TaskCompletionSource _appended = NewSignal();

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        EventBatch.Validate(events);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Commit([new StreamAppend(streamId, expected, events)])[0]);
        }
    }

    /// <summary>All appends or none, with one commit time, as the embedded store commits them in one transaction.</summary>
    public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            ArgumentNullException.ThrowIfNull(append);
            ArgumentException.ThrowIfNullOrEmpty(append.StreamId);
            EventBatch.Validate(append.Events);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AppendResult>>(Commit(appends));
        }
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ThrowIfUnknown(direction);
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return DeliverAsync(() =>
        {
            lock (_gate)
            {
                return _streams.TryGetValue(streamId, out var stream) ? Slice(stream.Events, e => e.Revision, direction, fromRevision, maxCount, null) : [];
            }
        }, cancellationToken);
    }

    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        lock (_gate)
        {
            return Task.FromResult(LastRevisionOf(streamId));
        }
    }

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        ThrowIfUnknown(direction);
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return DeliverAsync(() =>
        {
            lock (_gate)
            {
                return Slice(_all, e => e.Position, direction, fromPosition, maxCount, streamPrefix);
            }
        }, cancellationToken);
    }

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (afterRevision is { } revision)
            ArgumentOutOfRangeException.ThrowIfNegative(revision, nameof(afterRevision));

        return SubscribeAsync(
            after => _streams.TryGetValue(streamId, out var stream) ? Slice(stream.Events, e => e.Revision, Direction.Forwards, after + 1, long.MaxValue, null) : [],
            e => e.Revision,
            afterRevision ?? -1,
            cancellationToken);
    }

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        if (afterPosition is { } position)
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(afterPosition));

        return SubscribeAsync(
            after => Slice(_all, e => e.Position, Direction.Forwards, after + 1, long.MaxValue, streamPrefix),
            e => e.Position,
            afterPosition ?? -1,
            cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void ThrowIfUnknown(Direction direction)
    {
        if (direction is not (Direction.Forwards or Direction.Backwards))
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction.");
    }

    /// <summary>
    /// The events of <paramref name="events"/> (ordered by <paramref name="keyOf"/>) from <paramref name="from"/> inclusive in
    /// <paramref name="direction"/>, at most <paramref name="maxCount"/>, of streams starting with <paramref name="prefix"/>.
    /// </summary>
    private static RecordedEvent[] Slice(List<RecordedEvent> events, Func<RecordedEvent, long> keyOf, Direction direction, long from, long maxCount, string? prefix)
    {
        var slice = new List<RecordedEvent>();
        var forwards = direction == Direction.Forwards;
        var start = forwards ? FirstIndexAtOrAfter(events, keyOf, from) : FirstIndexAtOrAfter(events, keyOf, from == long.MaxValue ? from : from + 1) - 1;
        for (var i = start; i >= 0 && i < events.Count && slice.Count < maxCount; i += forwards ? 1 : -1)
        {
            if (string.IsNullOrEmpty(prefix) || events[i].StreamId.StartsWith(prefix, StringComparison.Ordinal))
                slice.Add(events[i]);
        }

        return [.. slice];
    }

    // Keys (revisions in a stream, positions in $all) increase with the index, so a binary search finds where to start.
    private static int FirstIndexAtOrAfter(List<RecordedEvent> events, Func<RecordedEvent, long> keyOf, long key)
    {
        var (low, high) = (0, events.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (keyOf(events[middle]) < key)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    private static async IAsyncEnumerable<RecordedEvent> DeliverAsync(Func<RecordedEvent[]> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Read when enumeration starts, as a store that reads lazily does, not when the sequence is made.
        await Task.Yield();
        foreach (var e in read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    /// <summary>
    /// Catch-up then live: everything after the last delivered key, CaughtUp once, then a wait for the next append and
    /// another read after the last delivered key. Each read happens under the gate with the signal of the next append,
    /// so nothing is missed and, the cursor only moving forwards, nothing is delivered twice.
    /// </summary>
    private async IAsyncEnumerable<SubscriptionMessage> SubscribeAsync(
        Func<long, RecordedEvent[]> readAfter,
        Func<RecordedEvent, long> keyOf,
        long after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var caughtUp = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            Task appended;
            RecordedEvent[] page;
            lock (_gate)
            {
                appended = _appended.Task;
                page = readAfter(after);
            }

            foreach (var e in page)
            {
                if (cancellationToken.IsCancellationRequested)
                    yield break;

                after = keyOf(e);
                yield return new SubscriptionMessage.EventAppeared(e);
            }

            if (!caughtUp)
            {
                caughtUp = true;
                yield return new SubscriptionMessage.CaughtUp();
            }

            await appended.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private long? LastRevisionOf(string streamId) =>
        _streams.TryGetValue(streamId, out var stream) && stream.Events.Count > 0 ? stream.Events[^1].Revision : null;

    /// <summary>Under the gate: checks and writes every append, or (when one is refused) takes back what it wrote and throws.</summary>
    private AppendResult[] Commit(IReadOnlyList<StreamAppend> appends)
    {
        var head = _all.Count;
        var lastCreated = head > 0 ? _all[^1].Created : DateTimeOffset.MinValue;

        // Never earlier than the last event's: "state at a moment" searches recorded times, so they must not decrease
        // in position order even if the clock steps back.
        var now = _clock.GetUtcNow().ToUniversalTime();
        var created = now > lastCreated ? now : lastCreated;
        var results = new AppendResult[appends.Count];
        try
        {
            for (var i = 0; i < appends.Count; i++)
                results[i] = AppendWithin(appends[i].StreamId, appends[i].Expected, appends[i].Events, created);
        }
        catch (WrongExpectedRevisionException)
        {
            Undo(head);
            throw;
        }

        if (_all.Count > head)
        {
            var appended = _appended;
            _appended = NewSignal();
            appended.TrySetResult();
        }

        return results;
    }

    private AppendResult AppendWithin(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, DateTimeOffset created)
    {
        var stream = _streams.GetValueOrDefault(streamId);
        var lastRevision = LastRevisionOf(streamId);
        if (events.Count > 0 && stream is not null && stream.Revisions.TryGetValue(events[0].EventId, out var firstStoredAt))
        {
            return EarlierResult(stream, expected, events, firstStoredAt)
                ?? throw new WrongExpectedRevisionException(streamId, expected, lastRevision);
        }

        if (!expected.IsMetBy(lastRevision))
            throw new WrongExpectedRevisionException(streamId, expected, lastRevision);

        if (events.Count == 0)
            return new AppendResult(lastRevision ?? -1, stream is { Events.Count: > 0 } ? stream.Events[^1].Position : -1);

        // An event id is unique within its stream: a later event of the batch already stored while the first is not
        // is no idempotent repeat, and nothing of the batch is written.
        if (stream is not null && events.Any(e => stream.Revisions.ContainsKey(e.EventId)))
            throw new WrongExpectedRevisionException(streamId, expected, lastRevision);

        if (stream is null)
        {
            stream = new StoredStream();
            _streams.Add(streamId, stream);
        }

        var revision = (lastRevision ?? -1) + 1;
        foreach (var e in events)
        {
            var recorded = new RecordedEvent(streamId, revision, _all.Count + 1L, e.EventId, e.EventType, e.Data.ToArray(), e.Metadata.ToArray(), created);
            _all.Add(recorded);
            stream.Events.Add(recorded);
            stream.Revisions.Add(e.EventId, revision);
            revision++;
        }

        return new AppendResult(revision - 1, _all.Count);
    }

    /// <summary>
    /// The result of the earlier append when this one repeats it: all its ids stored consecutively, starting at the
    /// revision this append would have given the first. Null when the repeat is partial or at another place.
    /// </summary>
    private static AppendResult? EarlierResult(StoredStream stream, ExpectedRevision expected, IReadOnlyList<EventData> events, long firstStoredAt)
    {
        var wouldStartAt = expected.IsExact ? expected.Value + 1
            : expected.IsNoStream ? 0
            : firstStoredAt;
        if (firstStoredAt != wouldStartAt || firstStoredAt + events.Count > stream.Events.Count)
            return null;

        for (var i = 0; i < events.Count; i++)
        {
            if (stream.Events[(int)firstStoredAt + i].EventId != events[i].EventId)
                return null;
        }

        var last = stream.Events[(int)firstStoredAt + events.Count - 1];
        return new AppendResult(last.Revision, last.Position);
    }

    // Takes back every event from index head of $all on: they are the newest of their streams.
    private void Undo(int head)
    {
        for (var i = _all.Count - 1; i >= head; i--)
        {
            var e = _all[i];
            var stream = _streams[e.StreamId];
            stream.Events.RemoveAt(stream.Events.Count - 1);
            stream.Revisions.Remove(e.EventId);
            if (stream.Events.Count == 0)
                _streams.Remove(e.StreamId);
        }

        _all.RemoveRange(head, _all.Count - head);
    }

    private sealed class StoredStream
    {
        public List<RecordedEvent> Events { get; } = [];

        public Dictionary<Guid, long> Revisions { get; } = [];
    }
}
