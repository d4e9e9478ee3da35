namespace AuditDashboard.Core.Tests;

/// <summary>A store that offers a catch-up subscription to <c>$all</c>, as each test scripts it, and nothing else unless a test says so.</summary>
internal abstract class SubscriptionOnlyStore : IEventStore
{
    public abstract IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
        long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default);

    public virtual IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task InitializeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
