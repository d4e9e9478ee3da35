namespace AuditDashboard.Core.Tests;

/// <summary>The shared timeline cache over the in-memory store: one fold per account, bounded, and never dropping what is on screen.</summary>
public sealed class AccountTimelinesCacheTests : IAsyncLifetime
{
    private InMemoryEventStore _store = default!;

    public async ValueTask InitializeAsync()
    {
        _store = new InMemoryEventStore();
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
        for (var a = 1; a <= 4; a++)
            await AppendAsync($"ACC-{a}", events: 10 * a);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_TheSameAccountTwice_SharesOneTimeline()
    {
        var timelines = new AccountTimelines(_store);

        var first = await timelines.GetAsync("ACC-2", TestContext.Current.CancellationToken);
        var second = await timelines.GetAsync("ACC-2", TestContext.Current.CancellationToken);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(20, first.Snapshot.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_UnknownOrMalformedAccount_IsNullAndNotCached()
    {
        var timelines = new AccountTimelines(_store);

        Assert.Null(await timelines.GetAsync("ACC-404", TestContext.Current.CancellationToken));
        Assert.Null(await timelines.GetAsync("bad id!", TestContext.Current.CancellationToken));
        Assert.Equal(0, timelines.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_BeyondTheMemoryBudget_DropsTheLeastRecentlyUsed()
    {
        var sizes = new AccountTimelines(_store);
        var bytesOf2And3 = (await sizes.GetAsync("ACC-2", TestContext.Current.CancellationToken))!.EstimatedBytes
            + (await sizes.GetAsync("ACC-3", TestContext.Current.CancellationToken))!.EstimatedBytes;
        var timelines = new AccountTimelines(_store, capacity: 10, maxCachedBytes: bytesOf2And3);

        var one = await timelines.GetAsync("ACC-1", TestContext.Current.CancellationToken);
        await timelines.GetAsync("ACC-2", TestContext.Current.CancellationToken);
        await timelines.GetAsync("ACC-3", TestContext.Current.CancellationToken);
        var oneAgain = await timelines.GetAsync("ACC-1", TestContext.Current.CancellationToken);

        Assert.Equal(2, timelines.Count);
        Assert.NotSame(one, oneAgain);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_OfALongAccount_ReportsHowManyEventsItHolds_EveryFewThousandEvents()
    {
        await AppendAsync("ACC-LONG", events: (2 * AccountTimeline.ProgressEvery) + 100);
        var reported = new List<int>();

        var timeline = await new AccountTimelines(_store).GetAsync("ACC-LONG", new Reported(reported), TestContext.Current.CancellationToken);

        Assert.Equal([AccountTimeline.ProgressEvery, 2 * AccountTimeline.ProgressEvery], reported);
        Assert.Equal((2 * AccountTimeline.ProgressEvery) + 100, timeline!.Snapshot.Count);
    }

    /// <summary>Collects what is reported, as it is reported (Progress&lt;T&gt; would post it later).</summary>
    private sealed class Reported(List<int> into) : IProgress<int>
    {
        public void Report(int value) => into.Add(value);
    }

    [Fact(Timeout = 30_000)]
    public async Task EstimatedBytes_CountsEachFoldedEvent_WithItsStoredDataAndMetadata()
    {
        var stored = await _store.ReadStreamAsync(AccountIds.StreamOf("ACC-2"), Direction.Forwards, 0, long.MaxValue, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        var timeline = await new AccountTimelines(_store).GetAsync("ACC-2", TestContext.Current.CancellationToken);

        Assert.Equal(stored.Sum(e => AccountTimeline.EntryOverheadBytes + e.Data.Length + e.Metadata.Length), timeline!.EstimatedBytes);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_BeyondTheCapacity_KeepsATimelineSomeoneIsViewing_AndItStillGrows()
    {
        var timelines = new AccountTimelines(_store, capacity: 1);
        var viewed = await timelines.GetAsync("ACC-1", TestContext.Current.CancellationToken);
        var seen = new List<int>();
        var grown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var viewing = viewed!.Subscribe(() =>
        {
            seen.Add(viewed.Snapshot.Count);
            grown.TrySetResult();
            return Task.CompletedTask;
        });
        var directory = new AccountDirectory();
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        directory.CaughtUp += (_, _) => caughtUp.TrySetResult();
        using var stopFeed = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var feed = new LedgerFeed(_store, TimeProvider.System, directory, timelines, new CorrectionProposals())
            .RunAsync(TimeSpan.FromMilliseconds(50), stopFeed.Token);
        await caughtUp.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await timelines.GetAsync("ACC-2", TestContext.Current.CancellationToken);
        await timelines.GetAsync("ACC-3", TestContext.Current.CancellationToken);
        await AppendAsync("ACC-1", events: 1, expected: ExpectedRevision.Exact(9));
        await grown.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Same(viewed, await timelines.GetAsync("ACC-1", TestContext.Current.CancellationToken));
        Assert.Equal([11], seen);
        await stopFeed.CancelAsync();
        await feed;
    }

    private async Task AppendAsync(string accountId, int events, ExpectedRevision? expected = null)
    {
        var batch = new List<EventData>();
        var meta = new EventMetadata("teller:ana", "Test", "corr", null, "tests");
        if (expected is null)
            batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(accountId, "Owner " + accountId, "EUR"), meta));
        while (batch.Count < events)
            batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(1m, "EUR", null), meta));
        await _store.AppendAsync(AccountIds.StreamOf(accountId), expected ?? ExpectedRevision.NoStream, batch, TestContext.Current.CancellationToken);
    }
}
