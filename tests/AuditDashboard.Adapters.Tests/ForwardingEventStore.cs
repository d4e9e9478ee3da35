namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// A real store seen through a wrapper: every call goes to the store; a test's subclass overrides what it watches or
/// changes. Being only an <see cref="IEventStore"/>, it also hides what else the store offers (a direct leaf reader).
/// </summary>
internal abstract class ForwardingEventStore(IEventStore inner) : IEventStore
{
    /// <summary>The store every call goes to.</summary>
    protected IEventStore Inner => inner;

    public virtual Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public virtual Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => inner.IsReachableAsync(cancellationToken);

    public virtual Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(streamId, expected, events, cancellationToken);

    public virtual IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken);

    public virtual Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetLastRevisionAsync(streamId, cancellationToken);

    public virtual IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    public virtual IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        inner.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

    public virtual IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken);
}
