namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The sealer and the checker over <see cref="EventStoreDbEventStore"/>, through a real gRPC channel to the in-process
/// <see cref="EventStoreDbTestServer"/>: seals are written and verified as on the embedded store.
/// </summary>
public sealed class EventStoreDbLedgerSealTests(EventStoreDbTestServer server) : LedgerSealContract, IClassFixture<EventStoreDbTestServer>
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.InitializeAsync(cancellationToken);
        return store;
    }
}
