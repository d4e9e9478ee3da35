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
        var store = new StoreThatFailsOnce();
        var feed = new LedgerFeed(store, clock, new AccountDirectory(), new AccountTimelines(store), new CorrectionProposals());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
        }

        Assert.Equal(1, beforeTheDelay);
        Assert.Equal(2, store.Subscriptions);
        Assert.Null(feed.LastError);
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
