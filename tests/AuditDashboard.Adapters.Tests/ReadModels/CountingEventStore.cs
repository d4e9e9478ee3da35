using System.Runtime.CompilerServices;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// A real store, seen through a window that records where each <c>$all</c> subscription started and how many events it
/// delivered, and that can hold a subscription after a number of events until released.
/// </summary>
internal sealed class CountingEventStore(IEventStore inner) : ForwardingEventStore(inner)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _delivered;

    public List<long?> SubscribedAfter { get; } = [];

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>After this many events, a subscription waits for <see cref="Release"/>; null: never.</summary>
    public long? HoldAfter { get; init; }

    public void Release() => _released.TrySetResult();

    public override async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
        long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        lock (SubscribedAfter)
            SubscribedAfter.Add(afterPosition);
        await foreach (var message in Inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken))
        {
            if (message is SubscriptionMessage.EventAppeared && HoldAfter is { } hold && Delivered >= hold)
                await _released.Task.WaitAsync(cancellationToken);
            if (message is SubscriptionMessage.EventAppeared)
                Interlocked.Increment(ref _delivered);
            yield return message;
        }
    }
}
