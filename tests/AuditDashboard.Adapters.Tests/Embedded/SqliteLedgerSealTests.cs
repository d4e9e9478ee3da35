using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>The sealer and the checker over the embedded store, a real SQLite file in a folder of its own.</summary>
public sealed class SqliteLedgerSealTests : LedgerSealContract
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken) => await OpenStoreAsync(cancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Sealer_OnceLive_SealsWhatThisStoreAndAnotherProcessOnTheSameFileAppend()
    {
        var cancel = TestContext.Current.CancellationToken;
        var state = new LedgerIntegrity();
        var sealer = new LedgerSealer(Store, Keys, state, new SealSchedule(4, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), [], TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var leaves = LeafFile.OpenForWriting(LeafFilePath);
        var running = sealer.RunAsync(leaves, TimeSpan.FromMilliseconds(200), stop.Token);
        await WaitAsync(() => state.LastFullCheck is not null, "the start-up check", state, cancel);

        // Four appends here (the store wakes its sealer) and four through another store on the file, as another process
        // appends: the sealer learns of those only by looking again.
        await using var other = await OpenStoreAsync(cancel);
        var mine = await AppendAsync(Store, "account-SEALHERE", 4, cancel);
        await WaitAsync(() => state.LastSeal?.LastPosition >= mine, "a seal over this store's appends", state, cancel);
        var theirs = await AppendAsync(other, "account-SEALTHERE", 4, cancel);
        await WaitAsync(() => state.LastSeal?.LastPosition >= theirs, "a seal over the other store's appends", state, cancel);
        await stop.CancelAsync();
        await running;

        Assert.Null(state.Violation);
        Assert.Equal(8, state.LastSeal!.TreeSize);
        Assert.Equal(2, state.LastSeal.Number);
        var (seals, _) = await LedgerSeals.ReadAsync(Store, cancel);
        var check = await new LedgerVerifier(Store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, Keys.Published, leaves), null, cancel);
        Assert.True(check.IsIntact, check.Violation?.Description);
        Assert.Equal(8, check.LeavesChecked);
    }

    private async Task<SqliteEventStore> OpenStoreAsync(CancellationToken cancellationToken)
    {
        var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={TempFile("events.db")}"));
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    private static async Task<long> AppendAsync(IEventStore store, string stream, int count, CancellationToken cancellationToken)
    {
        long last = 0;
        for (var i = 0; i < count; i++)
        {
            var data = Encoding.UTF8.GetBytes($$"""{"amount":{{10 + i}},"currency":"EUR"}""");
            var result = await store.AppendAsync(stream, ExpectedRevision.Any, [new EventData(Guid.NewGuid(), "FundsDeposited", data, """{"actor":"test","reason":"seal test"}"""u8.ToArray())], cancellationToken);
            last = result.Position;
        }

        return last;
    }

    private static Task WaitAsync(Func<bool> done, string what, LedgerIntegrity state, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(done, what, Patience, cancellationToken, () => $"last seal {state.LastSeal}, problem: {state.Problem}, violation: {state.Violation?.Description}");
}
