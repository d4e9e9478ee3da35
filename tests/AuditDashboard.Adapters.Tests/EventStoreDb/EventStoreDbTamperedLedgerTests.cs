using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// A sealed event changed in the test server's own storage (its SQLite file), behind the server's back: the checker and a
/// sealer starting over the EventStoreDB adapter both find it, naming its position, stream and revision. A server of its own,
/// since the change breaks the ledger for good.
/// </summary>
public sealed class EventStoreDbTamperedLedgerTests(EventStoreDbTestServer server) : LedgerSealTestBase, IClassFixture<EventStoreDbTestServer>
{
    [Fact(Timeout = 120_000)]
    public async Task AnEventChangedInTheServersStorage_IsFoundByTheCheckerAndTheSealer_NamingItsPositionStreamAndRevision()
    {
        var cancel = TestContext.Current.CancellationToken;
        var appended = await AppendEventsAsync(6, cancel);
        await SealUntilAsync(appended[^1].Position, everyEvents: 2, cancel);
        var target = appended[3];
        using (var connection = new SqliteConnection($"Data Source={server.Store.FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET data = CAST(replace(CAST(data AS TEXT), '\"amount\":13', '\"amount\":913') AS BLOB) WHERE position = $position";
            command.Parameters.AddWithValue("$position", target.Position);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var (seals, _) = await LedgerSeals.ReadAsync(Store, cancel);
        LedgerCheckResult check;
        using (var leaves = LeafFile.OpenForReading(LeafFilePath)!)
            check = await new LedgerVerifier(Store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, Keys.Published, leaves), null, cancel);
        var restarted = await StartSealerUntilViolationAsync(cancel);

        var violation = Assert.IsType<IntegrityViolation>(check.Violation);
        Assert.Equal(ViolationKind.Changed, violation.Kind);
        Assert.Equal((target.Position, target.StreamId, target.Revision), (violation.Position, violation.StreamId, violation.Revision));
        Assert.Equal(violation, restarted);
        var finding = await Store.ReadStreamAsync(LedgerSeals.FindingsStreamId, Direction.Backwards, StreamRevision.End, 1, cancel).SingleAsync(cancel);
        Assert.Equal(LedgerSeals.ViolationType, finding.EventType);
    }

    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    /// <summary>A sealer starting over the same leaf file, as after a restart: its start-up check must find and record the change.</summary>
    private async Task<IntegrityViolation> StartSealerUntilViolationAsync(CancellationToken cancellationToken)
    {
        var state = new LedgerIntegrity();
        var sealer = new LedgerSealer(Store, Keys, state, new SealSchedule(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), [], TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var leaves = LeafFile.OpenForWriting(LeafFilePath);
        var running = sealer.RunAsync(leaves, TimeSpan.FromMilliseconds(200), stop.Token);
        // Found, then recorded in the findings stream: wait for both.
        await Eventually.UntilAsync(
            async ct => state.Violation is not null && await Store.GetLastRevisionAsync(LedgerSeals.FindingsStreamId, ct) is not null,
            "the restarted sealer to find and record the change",
            Patience,
            cancellationToken,
            () => $"violation: {state.Violation?.Description}, problem: {state.Problem}");

        await stop.CancelAsync();
        await running;
        return state.Violation!;
    }
}
