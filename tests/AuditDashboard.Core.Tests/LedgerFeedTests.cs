using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;

namespace AuditDashboard.Core.Tests;

public sealed class LedgerFeedTests
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(5);

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_AfterTheStoreFailed_SubscribesAgainOnceItsClockHasMovedOnByTheRetryDelay()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new WatchedClock();
        var store = new StoreThatFailsOnce { ReadsAnswerEmpty = true };
        var directory = new AccountDirectory();
        var directoryLedger = new StoreThatHoldsBack();
        var feed = new LedgerFeed(store, clock, directory, new AccountTimelines(store), new CorrectionProposals());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The directory's projection runs on a ledger of its own, on the system's clock: only the feed subscribes to the failing store.
        var projecting = directory.FollowAsync(directoryLedger, TimeProvider.System, RetryDelay, stop.Token);
        var running = feed.RunAsync(RetryDelay, stop.Token);
        int beforeTheDelay;
        try
        {
            await clock.TimerStarted.WaitAsync(cancellationToken);

            clock.Advance(RetryDelay - TimeSpan.FromSeconds(1));
            beforeTheDelay = store.Subscriptions;
            clock.Advance(TimeSpan.FromSeconds(1));
            await store.Resubscribed.WaitAsync(cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await projecting;
        }

        Assert.Equal(1, beforeTheDelay);
        Assert.Equal(2, store.Subscriptions);
        Assert.Null(feed.LastError);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_WhileTheDirectoryIsStillCatchingUp_ReportsAFailedStoreAndSaysCaughtUpOnceBothAre()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var directory = new AccountDirectory();
        var directoryLedger = new StoreThatHoldsBack();
        var feed = new LedgerFeed(new StoreThatFailsAfterCatchingUp(), TimeProvider.System, directory, new AccountTimelines(directoryLedger), new CorrectionProposals());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The directory's projection, started first, is the one the feed finds running: it is held before it catches up.
        var projecting = directory.FollowAsync(directoryLedger, TimeProvider.System, RetryDelay, stop.Token);
        var running = feed.RunAsync(RetryDelay, stop.Token);
        bool caughtUpBeforeTheDirectory;
        try
        {
            await Eventually.UntilAsync(_ => Task.FromResult(feed.LastError is EventStoreUnavailableException), "the feed to report the store unavailable", TimeSpan.FromSeconds(10), cancellationToken);
            caughtUpBeforeTheDirectory = directory.IsCaughtUp;

            directoryLedger.Release();
            await Eventually.UntilAsync(_ => Task.FromResult(directory.IsCaughtUp), "the directory caught up", TimeSpan.FromSeconds(10), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await projecting;
        }

        Assert.False(caughtUpBeforeTheDirectory);
    }

    /// <summary>Its first subscription reports caught up, then fails as an unreachable store does; later ones wait.</summary>
    private sealed class StoreThatFailsAfterCatchingUp : SubscriptionOnlyStore
    {
        private int _subscriptions;

        public override IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<RecordedEvent>();

        public override async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
            long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _subscriptions) > 1)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            yield return new SubscriptionMessage.CaughtUp();
            throw new EventStoreUnavailableException("The store went away.");
        }
    }

    /// <summary>An empty ledger whose subscription reports caught up only once the test releases it.</summary>
    private sealed class StoreThatHoldsBack : SubscriptionOnlyStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<RecordedEvent>();

        public override async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(
            long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await _released.Task.WaitAsync(cancellationToken);
            yield return new SubscriptionMessage.CaughtUp();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    /// <summary>A clock the test moves, which says when the first timer was set on it.</summary>
    private sealed class WatchedClock : FakeTimeProvider
    {
        private readonly TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerStarted => _timerStarted.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerStarted.TrySetResult();
            return timer;
        }
    }
}
