using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.Tests;

/// <summary>
/// A store whose first catch-up subscription to <c>$all</c> fails as an unreachable store does; every later one reports
/// caught up and stays open. It counts the subscriptions and signals the second.
/// </summary>
internal sealed class StoreThatFailsOnce : SubscriptionOnlyStore
{
    private readonly TaskCompletionSource _resubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _subscriptions;

    public int Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Whether reads answer as an empty ledger does (they are not offered otherwise).</summary>
    public bool ReadsAnswerEmpty { get; init; }

    public override IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        ReadsAnswerEmpty ? AsyncEnumerable.Empty<RecordedEvent>() : base.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    /// <summary>Completes when a subscription follows the failed one.</summary>
    public Task Resubscribed => _resubscribed.Task;

    public override async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
        long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _subscriptions) == 1)
            throw new EventStoreUnavailableException("The store does not answer.");
        _resubscribed.TrySetResult();
        yield return new SubscriptionMessage.CaughtUp();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
