using System.Runtime.CompilerServices;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// A real store, seen through a window that records where each <c>$all</c> subscription started and how many events it
/// delivered, and that can hold a subscription after a number of events until released.
/// </summary>
internal sealed class CountingEventStore(IEventStore inner) : IEventStore
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _delivered;

    public List<long?> SubscribedAfter { get; } = [];

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>After this many events, a subscription waits for <see cref="Release"/>; null: never.</summary>
    public long? HoldAfter { get; init; }

    public void Release() => _released.TrySetResult();

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => inner.IsReachableAsync(cancellationToken);

    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(streamId, expected, events, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken);

    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetLastRevisionAsync(streamId, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        inner.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

    public async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
        long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        lock (SubscribedAfter)
            SubscribedAfter.Add(afterPosition);
        await foreach (var message in inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken))
        {
            if (message is SubscriptionMessage.EventAppeared && HoldAfter is { } hold && Delivered >= hold)
                await _released.Task.WaitAsync(cancellationToken);
            if (message is SubscriptionMessage.EventAppeared)
                Interlocked.Increment(ref _delivered);
            yield return message;
        }
    }
}
