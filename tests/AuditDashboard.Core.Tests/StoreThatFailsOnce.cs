using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.Tests;

/// <summary>
/// A store whose first catch-up subscription to <c>$all</c> fails as an unreachable store does; every later one reports
/// caught up and stays open. It counts the subscriptions and signals the second. Nothing else is offered.
/// </summary>
internal sealed class StoreThatFailsOnce : IEventStore
{
    private readonly TaskCompletionSource _resubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _subscriptions;

    public int Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Completes when a subscription follows the failed one.</summary>
    public Task Resubscribed => _resubscribed.Task;

    public async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
        long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _subscriptions) == 1)
            throw new EventStoreUnavailableException("The store does not answer.");
        _resubscribed.TrySetResult();
        yield return new SubscriptionMessage.CaughtUp();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
