using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// The account directory as a durable projection: a real SQLite ledger, real SQLite read models, the real subscription.
/// </summary>
public sealed class AccountDirectoryProjectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly EventMetadata Meta = new("teller:ana", "Test", "corr-1", null, "tests");

    private readonly TempFolder _directory = new();
    private readonly List<IAsyncDisposable> _stores = [];
    private SqliteEventStore _ledger = default!;

    private static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ledger = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_directory.File("audit.db")}")
        {
            CreateIfMissing = true,
            ReadPageSize = 64,
            PollInterval = TimeSpan.FromMilliseconds(20),
        });
        await _ledger.InitializeAsync(TestCancellation);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        await _ledger.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Follow_AfterARestart_ResumesFromItsCheckpoint_AndReadsOnlyTheEventsAfterIt()
    {
        await AppendAsync("ACC-1", new AccountOpened("ACC-1", "Ana Lima", "EUR"), new FundsDeposited(10m, "EUR", null));
        await AppendAsync("ACC-2", new AccountOpened("ACC-2", "Bea Costa", "EUR"));
        var first = await FollowUntilCaughtUpAsync(Directory("readmodels.db"), _ledger);
        var checkpoint = await first.Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation);
        await AppendAsync("ACC-1", new FundsWithdrawn(4m, "EUR", null));
        var counting = new CountingEventStore(_ledger);

        var second = await FollowUntilCaughtUpAsync(Directory("readmodels.db"), counting);

        Assert.Equal([checkpoint], counting.SubscribedAfter);
        Assert.Equal(1, counting.Delivered);
        Assert.Equal(6m, (await second.FindAsync("ACC-1", TestCancellation))!.Balance);
        Assert.Equal(2, second.Count);
        Assert.True(second.Progress.IsCaughtUp);
    }

    [Fact]
    public async Task Rebuild_FromNothing_EqualsTheDirectoryBuiltInSmallBatchesWhileAWriterAppended()
    {
        var random = new Random(4242);
        await WriteRandomHistoriesAsync(random, accounts: 12, events: 150);
        var incremental = Directory("incremental.db", batchSize: 3);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestCancellation);
        var following = incremental.FollowAsync(_ledger, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
        await WriteRandomHistoriesAsync(random, accounts: 12, events: 300);
        await WaitForCheckpointAsync(incremental, await HeadAsync());
        await stop.CancelAsync();
        await following;

        var rebuilt = await FollowUntilCaughtUpAsync(Directory("rebuilt.db"), _ledger);

        var rows = await RowsAsync(incremental);
        Assert.Equal(12, rows.Count);
        Assert.Equal(rows, await RowsAsync(rebuilt));
        Assert.Equal(await HeadAsync(), await rebuilt.Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
    }

    [Fact]
    public async Task Follow_StoppedBetweenBatchesAndStartedAgain_AppliesNoEventTwiceAndSkipsNone()
    {
        await WriteRandomHistoriesAsync(new Random(7), accounts: 5, events: 200);
        var held = new CountingEventStore(_ledger) { HoldAfter = 57 };
        var interrupted = Directory("readmodels.db", batchSize: 10);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(TestCancellation))
        {
            var following = interrupted.FollowAsync(held, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
            await WaitUntilAsync(() => interrupted.Progress.EventsApplied == 57, "57 events applied");
            await stop.CancelAsync();
            await following;
        }

        var resumed = await FollowUntilCaughtUpAsync(Directory("readmodels.db"), _ledger);

        var rebuilt = await FollowUntilCaughtUpAsync(Directory("rebuilt.db"), _ledger);
        Assert.Equal(await RowsAsync(rebuilt), await RowsAsync(resumed));
        Assert.Equal(200 - 57, resumed.Progress.EventsApplied);
    }

    [Fact]
    public async Task AStoreFailureInsideACatchUpTransaction_RollsBackItsBatches_AndTheRetryAppliesEveryEventOnce()
    {
        await WriteRandomHistoriesAsync(new Random(11), accounts: 6, events: 120);
        var store = new FailingOnce(new SqliteReadModelStore(_directory.File("readmodels.db")), failingPut: 3);
        _stores.Add(store);

        var directory = await FollowUntilCaughtUpAsync(new AccountDirectory(store, batchSize: 10), _ledger);

        // The first two batches shared the third's transaction: nothing was committed before it failed.
        Assert.Equal(0, store.CommitsBeforeTheFailure);
        var rebuilt = await FollowUntilCaughtUpAsync(Directory("rebuilt.db"), _ledger);
        Assert.Equal(await RowsAsync(rebuilt), await RowsAsync(directory));
        Assert.Equal(await HeadAsync(), await store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(120, directory.Progress.EventsApplied);
        Assert.Equal(6, directory.Count);
    }

    [Fact]
    public async Task Progress_WhileTheSubscriptionIsHeld_SaysHowManyEventsBehind_ThenCatchesUp()
    {
        await WriteRandomHistoriesAsync(new Random(3), accounts: 4, events: 100);
        var held = new CountingEventStore(_ledger) { HoldAfter = 40 };
        var directory = Directory("readmodels.db", batchSize: 16);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestCancellation);
        var following = directory.FollowAsync(held, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
        await WaitUntilAsync(() => directory.Progress.EventsApplied == 40, "40 events applied");

        var behind = directory.Progress;
        held.Release();
        await directory.ProjectionCaughtUp.WaitAsync(Patience, TestCancellation);
        var caughtUp = directory.Progress;
        await stop.CancelAsync();
        await following;

        Assert.False(behind.IsCaughtUp);
        Assert.Equal(await HeadAsync() - behind.Applied, behind.Behind);
        Assert.Equal(60, behind.Behind);
        Assert.StartsWith("Building read models: 40 %, ", behind.Describe(), StringComparison.Ordinal);
        Assert.True(caughtUp.IsCaughtUp);
        Assert.Equal(0, caughtUp.Behind);
        Assert.Equal(100, caughtUp.EventsApplied);
    }

    [Fact]
    public async Task AFirstBuild_SaysItIsIndexing_AndIsCaughtUpOnlyOnceTheStoreHasMadeWhatItPutOff()
    {
        await WriteRandomHistoriesAsync(new Random(5), accounts: 3, events: 30);
        var store = new HeldFirstBuild(new SqliteReadModelStore(_directory.File("readmodels.db")));
        _stores.Add(store);
        var directory = new AccountDirectory(store);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestCancellation);
        var following = directory.FollowAsync(_ledger, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
        await store.Called.Task.WaitAsync(Patience, TestCancellation);

        var indexing = directory.Progress;
        var searchedWhileIndexing = await store.SearchEventsAsync(new EventQuery(), TestCancellation);
        Assert.False(directory.ProjectionCaughtUp.IsCompleted);
        store.Release.SetResult();
        await directory.ProjectionCaughtUp.WaitAsync(Patience, TestCancellation);
        var found = await store.SearchEventsAsync(new EventQuery(), TestCancellation);
        await stop.CancelAsync();
        await following;

        Assert.True(indexing.IsIndexing);
        Assert.Equal("Building read models: indexing 30 events for search", indexing.Describe());
        Assert.Empty(searchedWhileIndexing.Items);
        Assert.False(directory.Progress.IsIndexing);
        Assert.Equal(30, found.Total);
    }

    // Holds the completion of a first build until released.
    private sealed class HeldFirstBuild(SqliteReadModelStore inner) : DelegatingReadModelStore(inner), IAsyncDisposable
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task CompleteFirstBuildAsync(CancellationToken cancellationToken = default)
        {
            Called.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            await base.CompleteFirstBuildAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    // Fails the transaction that puts the failingPut-th batch of event index rows, once.
    private sealed class FailingOnce(SqliteReadModelStore inner, int failingPut) : DelegatingReadModelStore(inner), IAsyncDisposable
    {
        private readonly int _failingPut = failingPut;
        private int _puts;
        private int _commits;

        public int? CommitsBeforeTheFailure { get; private set; }

        public override async Task<IReadModelTransaction> BeginAsync(CancellationToken cancellationToken = default) =>
            new Transaction(this, await base.BeginAsync(cancellationToken));

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private sealed class Transaction(FailingOnce store, IReadModelTransaction inner) : IReadModelTransaction
        {
            public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) => inner.FindAccountAsync(accountId, cancellationToken);

            public Task PutAccountsAsync(IReadOnlyCollection<AccountState> accounts, CancellationToken cancellationToken = default) => inner.PutAccountsAsync(accounts, cancellationToken);

            public Task PutMarksAsync(IReadOnlyCollection<AccountState> marks, CancellationToken cancellationToken = default) => inner.PutMarksAsync(marks, cancellationToken);

            public async Task PutEventsAsync(IReadOnlyCollection<IndexedEvent> events, CancellationToken cancellationToken = default)
            {
                await inner.PutEventsAsync(events, cancellationToken);
                if (++store._puts == store._failingPut)
                {
                    store.CommitsBeforeTheFailure = store._commits;
                    throw new InvalidOperationException("The disk is full.");
                }
            }

            public Task PutCommandEventsAsync(IReadOnlyCollection<RecordedEvent> events, CancellationToken cancellationToken = default) => inner.PutCommandEventsAsync(events, cancellationToken);

            public Task SetCheckpointAsync(string projection, long position, CancellationToken cancellationToken = default) => inner.SetCheckpointAsync(projection, position, cancellationToken);

            public async Task CommitAsync(CancellationToken cancellationToken = default)
            {
                await inner.CommitAsync(cancellationToken);
                store._commits++;
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    private AccountDirectory Directory(string file, int batchSize = AccountDirectory.DefaultBatchSize)
    {
        var store = new SqliteReadModelStore(_directory.File(file));
        _stores.Add(store);
        return new AccountDirectory(store, batchSize);
    }

    private static async Task<AccountDirectory> FollowUntilCaughtUpAsync(AccountDirectory directory, IEventStore ledger)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestCancellation);
        var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
        try
        {
            await directory.ProjectionCaughtUp.WaitAsync(Patience, TestCancellation);
        }
        finally
        {
            await stop.CancelAsync();
            await following;
        }

        Assert.Null(directory.LastError);
        return directory;
    }

    // The store is read once the projection has opened it (on a busy machine that can come after the writer is done).
    private static async Task WaitForCheckpointAsync(AccountDirectory directory, long head)
    {
        await WaitUntilAsync(() => directory.Progress.Head is not null || directory.Progress.EventsApplied > 0, "the projection to open its store");
        await Eventually.UntilAsync(
            async ct => await directory.Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, ct) == head,
            $"the projection's checkpoint at position {head}",
            Patience,
            TestCancellation);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, what, Patience, TestCancellation);

    private async Task<long> HeadAsync()
    {
        await foreach (var last in _ledger.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, null, TestCancellation))
            return last.Position;
        throw new InvalidOperationException("The ledger is empty.");
    }

    /// <summary>Every row of the directory, in id order, read page by page: what two directories are compared by.</summary>
    private static async Task<List<AccountState>> RowsAsync(AccountDirectory directory)
    {
        var rows = new List<AccountState>();
        string? after = null;
        while (true)
        {
            var page = await directory.SearchAsync(new AccountQuery(null, after, Take: 7), TestCancellation);
            rows.AddRange(page.Items);
            if (page.Items.Count < 7)
                return rows;
            after = page.Items[^1].AccountId;
        }
    }

    private async Task AppendAsync(string accountId, params AccountEvent[] events) =>
        await _ledger.AppendAsync(AccountIds.StreamOf(accountId), ExpectedRevision.Any, [.. events.Select(e => AccountEventCodec.Encode(Guid.NewGuid(), e, Meta))], TestCancellation);

    /// <summary>
    /// Appends <paramref name="events"/> events spread over <paramref name="accounts"/> accounts: deposits, withdrawals,
    /// freezes, a correction now and then, and events the fold does not understand (a broken payload, an unknown type).
    /// </summary>
    private async Task WriteRandomHistoriesAsync(Random random, int accounts, int events)
    {
        for (var i = 0; i < events; i++)
        {
            var id = $"RND-{random.Next(accounts):D2}";
            var stream = AccountIds.StreamOf(id);
            var last = await _ledger.GetLastRevisionAsync(stream, TestCancellation);
            EventData data = last is null
                ? AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(id, $"Owner {random.Next(1000)}", "EUR"), Meta)
                : random.Next(20) switch
                {
                    0 => new EventData(Guid.NewGuid(), "FundsDeposited", Encoding.UTF8.GetBytes("{not json"), Encoding.UTF8.GetBytes("{}")),
                    1 => new EventData(Guid.NewGuid(), "SomethingElse", Encoding.UTF8.GetBytes("{}"), Encoding.UTF8.GetBytes("{}")),
                    2 => AccountEventCodec.Encode(Guid.NewGuid(), new AccountFrozen(), Meta),
                    3 => AccountEventCodec.Encode(Guid.NewGuid(), new AccountUnfrozen(), Meta),
                    4 => AccountEventCodec.Encode(Guid.NewGuid(), new BalanceCorrected(-1.25m, "EUR", null, DateTimeOffset.UtcNow), Meta),
                    < 10 => AccountEventCodec.Encode(Guid.NewGuid(), new FundsWithdrawn(random.Next(1, 50), "EUR", null), Meta),
                    _ => AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(random.Next(1, 500) + 0.01m * random.Next(100), "EUR", "ref"), Meta),
                };
            await _ledger.AppendAsync(stream, ExpectedRevision.Of(last), [data], TestCancellation);
        }
    }
}
