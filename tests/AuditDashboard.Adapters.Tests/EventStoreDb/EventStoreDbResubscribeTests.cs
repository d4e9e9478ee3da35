using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AuditDashboard.Core.Corrections;
using static AuditDashboard.Adapters.Tests.EventStoreDb.EventStoreDbClusterTests;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// A catch-up subscription that the server drops ends with an error; its consumer subscribes again after the last event
/// it processed. Here the real <see cref="LedgerFeed"/> over the adapter, while the test server dies and comes back, with
/// the account directory's projection beside it on a subscription of its own (each recorded apart).
/// </summary>
public sealed class EventStoreDbResubscribeTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task LedgerFeed_ResumesAfterTheServerDied_WithoutGapOrDuplicate()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var server = await StartAsync();
        await using var adapter = new EventStoreDbEventStore(server.ConnectionString);
        var store = new RecordingStore(adapter);
        var directoryStore = new RecordingStore(adapter);
        var directory = new AccountDirectory();
        var feed = new LedgerFeed(store, TimeProvider.System, directory, new AccountTimelines(store), new CorrectionProposals());

        await adapter.AppendAsync(AccountIds.StreamOf("a"), ExpectedRevision.NoStream, [Opened("a"), Deposit(), Deposit()], Cancellation);
        await adapter.AppendAsync("other-stream", ExpectedRevision.Any, [Event()], Cancellation);
        using var stopFeed = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        // Started first, the directory's projection is the one the feed finds running: it follows its own recording store.
        var projecting = directory.FollowAsync(directoryStore, TimeProvider.System, TimeSpan.FromMilliseconds(50), stopFeed.Token);
        var running = feed.RunAsync(TimeSpan.FromMilliseconds(50), stopFeed.Token);
        try
        {
            // Both subscriptions running (the directory's too: it has applied a's last event), so the node's death ends both.
            await UntilAsync(
                async () => feed.LastPosition == await LastAccountPositionAsync(server) && directory.Find("a")?.Revision == 2,
                "the feed at the last account event, and the directory with a at revision 2");

            // The node dies with the subscription running; meanwhile others keep writing (straight into its store).
            await server.StopAsync();
            await server.Store.AppendAsync(AccountIds.StreamOf("a"), ExpectedRevision.Exact(2), [Deposit(), Deposit()], Cancellation);
            await server.Store.AppendAsync(AccountIds.StreamOf("b"), ExpectedRevision.NoStream, [Opened("b")], Cancellation);
            await UntilAsync(() => Task.FromResult(feed.LastError is EventStoreUnavailableException), "the feed to report the store unavailable");

            await server.StartAsync();
            await adapter.AppendAsync(AccountIds.StreamOf("b"), ExpectedRevision.Exact(0), [Deposit()], Cancellation);

            // The directory follows $all on a subscription of its own, beside the feed's.
            await UntilAsync(async () => feed.LastPosition == await LastAccountPositionAsync(server) && directory.Find("b")?.Revision == 1, "the feed at the last account event again, with b at revision 1");
        }
        finally
        {
            await stopFeed.CancelAsync();
            await running;
            await projecting;
        }

        var stored = await server.Store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, AccountIds.StreamPrefix, Cancellation)
            .Select(e => e.Position).ToListAsync(Cancellation);
        Assert.Equal(7, stored.Count);

        // The feed starts after the directory's checkpoint as it found it (nothing, unless the directory had applied some
        // events already), then resumes after the last event it processed: each event from there exactly once, in order.
        var feedFrom = store.Calls[0].After ?? -1;
        Assert.Equal(stored.Where(p => p > feedFrom), store.Delivered);
        Assert.True(store.Subscriptions >= 2, $"The feed subscribed {store.Subscriptions} time(s).");

        // The directory's projection resumes after its last committed checkpoint, so its new subscription may be handed
        // again what it had received but not yet committed: every event reaches it, each subscription in order and after
        // where it started, and its rows show that it applied none twice.
        Assert.Equal(stored, directoryStore.Delivered.Distinct().Order());
        Assert.All(directoryStore.Calls, call => Assert.Equal(call.Positions.Order(), call.Positions));
        Assert.All(directoryStore.Calls, call => Assert.All(call.Positions, p => Assert.True(p > (call.After ?? -1))));
        Assert.True(directoryStore.Subscriptions >= 2, $"The directory subscribed {directoryStore.Subscriptions} time(s).");
        var a = Assert.IsType<AccountState>(directory.Find("a"));
        var b = Assert.IsType<AccountState>(directory.Find("b"));
        Assert.Equal((4L, 5, 40m), (a.Revision ?? -1, a.EventCount, a.Balance));
        Assert.Equal((1L, 2, 10m), (b.Revision ?? -1, b.EventCount, b.Balance));
    }

    private static async Task<long?> LastAccountPositionAsync(EventStoreDbTestServer server) =>
        await server.Store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, AccountIds.StreamPrefix, Cancellation)
            .Select(e => (long?)e.Position).FirstOrDefaultAsync(Cancellation);

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(_ => condition(), what, TimeSpan.FromSeconds(30), Cancellation);

    private static EventData Opened(string accountId) =>
        AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(accountId, "Ann Example", "EUR"), Metadata());

    private static EventData Deposit() =>
        AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(10m, "EUR", null), Metadata());

    private static EventMetadata Metadata() => new("tester", "resubscribe test", Guid.NewGuid().ToString(), null, "tests");

    /// <summary>The store, with a record of what its $all subscriptions delivered to the consumer (positions, in order).</summary>
    private sealed class RecordingStore(IEventStore inner) : ForwardingEventStore(inner)
    {
        private readonly ConcurrentQueue<long> _delivered = new();
        private readonly ConcurrentQueue<Call> _calls = new();
        private int _subscriptions;

        public IReadOnlyList<long> Delivered => [.. _delivered];

        /// <summary>Each subscription: where it started, and what it delivered.</summary>
        public IReadOnlyList<Call> Calls => [.. _calls];

        public int Subscriptions => Volatile.Read(ref _subscriptions);

        public override async IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _subscriptions);
            var call = new Call(afterPosition, new ConcurrentQueue<long>());
            _calls.Enqueue(call);
            await foreach (var message in Inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken))
            {
                if (message is SubscriptionMessage.EventAppeared appeared)
                {
                    _delivered.Enqueue(appeared.Record.Position);
                    call.Delivered.Enqueue(appeared.Record.Position);
                }

                yield return message;
            }
        }

        public sealed record Call(long? After, ConcurrentQueue<long> Delivered)
        {
            public IReadOnlyList<long> Positions => [.. Delivered];
        }
    }
}
