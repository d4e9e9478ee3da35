using System.Runtime.CompilerServices;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// One consumer of a persistent subscription group on the embedded store. New events come from a catch-up
/// subscription after the group's checkpoint (so in commit order, with no gap); events nacked for retry are delivered
/// again before new ones; parked events asked to be replayed come next. At most <c>bufferSize</c> events are out
/// unacknowledged. The checkpoint is the last position before the oldest event not yet handled; it is saved after
/// acknowledgements (at most every <see cref="CheckpointInterval"/>) and when the consumer disconnects.
/// </summary>
internal sealed class EmbeddedPersistentSubscription : IPersistentSubscription
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);

    private readonly SqlitePersistentSubscriptions _groups;
    private readonly SqliteCatchUpSubscriptions _events;
    private readonly PersistentSubscriptionSettings _settings;
    private readonly long? _startAfter;
    private readonly int _bufferSize;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Delivery> _inFlight = [];
    private readonly SortedSet<long> _unhandled = [];
    private readonly Queue<Delivery> _retries = new();
    private readonly HashSet<long> _replaying = [];
    private readonly AppendSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _saving = new(1, 1);
    private long _highestRead;
    private long? _checkpoint;
    private long? _saved;
    private long _lastSave;
    // 1 when parked events may be waiting to be replayed (at first: some may have been asked for before a restart).
    private int _replayRequested = 1;
    private string? _dropReason;
    private int _disposed;

    public EmbeddedPersistentSubscription(SqlitePersistentSubscriptions groups, SqliteCatchUpSubscriptions events, string groupName, PersistentSubscriptionSettings settings, long? startAfter, int bufferSize)
    {
        _groups = groups;
        _events = events;
        GroupName = groupName;
        _settings = settings;
        _startAfter = startAfter;
        _bufferSize = bufferSize;
        _highestRead = startAfter ?? -1;
        _checkpoint = startAfter;
        _saved = startAfter;
    }

    public string GroupName { get; }

    /// <summary>Every event of the group at or before this position has been handled.</summary>
    public long? Checkpoint
    {
        get
        {
            lock (_gate)
                return _checkpoint;
        }
    }

    public async IAsyncEnumerable<PersistentEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        await using var live = _events.SubscribeToAllAsync(_startAfter, _settings.StreamPrefix, token).GetAsyncEnumerator(token);
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                ThrowIfDropped(cancellationToken);
                var wake = _wake.Next;
                if (TryTakeRetry() is { } retry)
                {
                    yield return retry;
                    continue;
                }

                if (InFlightCount() >= _bufferSize)
                {
                    await WaitAsync(wake, token);
                    continue;
                }

                if (Interlocked.Exchange(ref _replayRequested, 0) == 1)
                {
                    foreach (var replayed in await TakeReplaysAsync(_bufferSize - InFlightCount(), token))
                        yield return replayed;
                    continue;
                }

                next ??= live.MoveNextAsync().AsTask();
                await Task.WhenAny(next, wake);
                if (!next.IsCompleted)
                    continue;

                bool more;
                try
                {
                    more = await next;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    next = null;
                    ThrowIfDropped(cancellationToken);
                    yield break;
                }

                next = null;
                if (!more)
                {
                    ThrowIfDropped(cancellationToken);
                    yield break;
                }

                if (live.Current is SubscriptionMessage.EventAppeared { Record: var record })
                    yield return Deliver(record);
            }
        }
        finally
        {
            // A read of the live subscription may still be pending (the loop yielded a retry meanwhile): end it before
            // the subscription is disposed.
            if (next is not null)
            {
                await linked.CancelAsync();
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async Task AckAsync(IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var unpark = new List<long>();
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (!_inFlight.Remove(id, out var delivery))
                    continue;
                if (delivery.Replayed)
                    unpark.Add(delivery.Event.Position);
                _unhandled.Remove(delivery.Event.Position);
            }
        }

        await UnparkAsync(unpark, cancellationToken);
        await HandledAsync(cancellationToken);
    }

    public async Task NackAsync(NackAction action, string reason, IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var park = new List<Delivery>();
        var unpark = new List<long>();
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (!_inFlight.Remove(id, out var delivery))
                    continue;
                switch (action)
                {
                    case NackAction.Retry when delivery.RetryCount < _settings.MaxRetryCount:
                        _retries.Enqueue(delivery with { RetryCount = delivery.RetryCount + 1 });
                        break;
                    case NackAction.Retry or NackAction.Park:
                        park.Add(delivery);
                        break;
                    default:
                        if (delivery.Replayed)
                            unpark.Add(delivery.Event.Position);
                        _unhandled.Remove(delivery.Event.Position);
                        break;
                }
            }
        }

        if (park.Count > 0)
        {
            var why = action == NackAction.Retry ? $"Retried {_settings.MaxRetryCount} times: {reason}" : reason;

            // Written before the checkpoint may pass them: a parked event is never lost.
            await _groups.ParkAsync(GroupName, park.Select(d => (d.Event.Position, d.RetryCount)).ToList(), why, cancellationToken);
            lock (_gate)
            {
                foreach (var delivery in park)
                {
                    if (delivery.Replayed)
                        _replaying.Remove(delivery.Event.Position);
                    _unhandled.Remove(delivery.Event.Position);
                }
            }
        }

        await UnparkAsync(unpark, cancellationToken);
        _wake.Pulse();
        await HandledAsync(cancellationToken);
    }

    /// <summary>Replayed events handled leave the parked list; then look for more to replay.</summary>
    private async Task UnparkAsync(List<long> positions, CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
            return;
        await _groups.UnparkAsync(GroupName, positions, cancellationToken);
        lock (_gate)
            _replaying.ExceptWith(positions);
        ReplayRequested();
    }

    public void ReplayRequested()
    {
        Volatile.Write(ref _replayRequested, 1);
        _wake.Pulse();
    }

    /// <summary>Ends the consumer: its reads throw <see cref="PersistentSubscriptionDroppedException"/>; the checkpoint is saved.</summary>
    public async Task DropAsync(string reason)
    {
        Interlocked.CompareExchange(ref _dropReason, reason, null);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync();
        try
        {
            await SaveCheckpointAsync(force: true, CancellationToken.None);
        }
        catch (Exception e) when (e is EventStoreUnavailableException or ObjectDisposedException or InvalidOperationException)
        {
            // The next consumer starts from the last saved checkpoint: the events after it are delivered again.
        }
        finally
        {
            _groups.Disconnected(this);
        }
    }

    private void ThrowIfDropped(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _dropReason) is { } reason)
            throw new PersistentSubscriptionDroppedException(GroupName, reason);
        if (_stop.IsCancellationRequested)
            throw new PersistentSubscriptionDroppedException(GroupName, "the consumer was disposed");
    }

    private PersistentEvent Deliver(RecordedEvent record)
    {
        lock (_gate)
        {
            _highestRead = record.Position;
            _unhandled.Add(record.Position);

            // Also out as a replay of its parked copy (after a reconnection): handling it once handles both.
            var replayed = _inFlight.TryGetValue(record.EventId, out var earlier) && earlier.Replayed;
            _inFlight[record.EventId] = new Delivery(record, 0, replayed);
        }

        return new PersistentEvent(record, 0);
    }

    private PersistentEvent? TryTakeRetry()
    {
        lock (_gate)
        {
            if (!_retries.TryDequeue(out var retry))
                return null;
            _inFlight[retry.Event.EventId] = retry;
            return new PersistentEvent(retry.Event, retry.RetryCount);
        }
    }

    private async Task<List<PersistentEvent>> TakeReplaysAsync(int room, CancellationToken cancellationToken)
    {
        var page = await _groups.ReadParkedPageAsync(GroupName, _bufferSize + room, replayOnly: true, cancellationToken);
        var taken = new List<PersistentEvent>();
        lock (_gate)
        {
            foreach (var parked in page)
            {
                if (taken.Count == room || !_replaying.Add(parked.Event.Position))
                    continue;

                // Already out as a live delivery (after a reconnection): handling that one removes the parked copy too.
                if (_inFlight.TryGetValue(parked.Event.EventId, out var live))
                {
                    _inFlight[parked.Event.EventId] = live with { Replayed = true };
                    continue;
                }

                _inFlight[parked.Event.EventId] = new Delivery(parked.Event, 0, Replayed: true);
                taken.Add(new PersistentEvent(parked.Event, 0));
            }

            // More may wait beyond this page: look again once there is room.
            if (page.Count > 0 && taken.Count > 0)
                Volatile.Write(ref _replayRequested, 1);
        }

        return taken;
    }

    private int InFlightCount()
    {
        lock (_gate)
            return _inFlight.Count;
    }

    private static async Task WaitAsync(Task wake, CancellationToken token)
    {
        try
        {
            await wake.WaitAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The loop checks why it stopped.
        }
    }

    private async Task HandledAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Everything before the oldest unhandled event is handled; with none unhandled, everything read so far.
            var handledUpTo = _unhandled.Count == 0 ? _highestRead : _unhandled.Min - 1;
            if (handledUpTo >= 0)
                _checkpoint = handledUpTo;
        }

        _wake.Pulse();
        await SaveCheckpointAsync(force: false, cancellationToken);
    }

    private async Task SaveCheckpointAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && Environment.TickCount64 - Volatile.Read(ref _lastSave) < CheckpointInterval.TotalMilliseconds)
            return;
        if (!await _saving.WaitAsync(force ? Timeout.Infinite : 0, cancellationToken))
            return;
        try
        {
            var checkpoint = Checkpoint;
            if (checkpoint is { } position && position != _saved)
            {
                await _groups.SaveCheckpointAsync(GroupName, position, cancellationToken);
                _saved = position;
            }

            Volatile.Write(ref _lastSave, Environment.TickCount64);
        }
        finally
        {
            _saving.Release();
        }
    }

    private sealed record Delivery(RecordedEvent Event, int RetryCount, bool Replayed);
}
