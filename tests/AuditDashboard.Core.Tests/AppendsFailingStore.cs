namespace AuditDashboard.Core.Tests;

/// <summary>
/// An in-memory store whose next <see cref="FailNextAppends"/> appends fail as an unreachable store's do, writing
/// nothing; everything else is the in-memory store's.
/// </summary>
internal sealed class AppendsFailingStore(TimeProvider clock) : IEventStore
{
    private readonly InMemoryEventStore _inner = new(clock);
    private int _failNext;

    /// <summary>How many of the next appends fail.</summary>
    public int FailNextAppends
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>How many appends were tried, failed or not.</summary>
    public int Attempts { get; private set; }

    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        Attempts++;
        if (Interlocked.Decrement(ref _failNext) >= 0)
            throw new EventStoreUnavailableException("The store does not answer.");
        Interlocked.Exchange(ref _failNext, 0);
        return _inner.AppendAsync(streamId, expected, events, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _inner.InitializeAsync(cancellationToken);

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => _inner.IsReachableAsync(cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        _inner.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken);

    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => _inner.GetLastRevisionAsync(streamId, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _inner.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        _inner.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken);
}
