#if EVENTSTOREDB_REAL_SERVER

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The sealer and the checker against a real EventStoreDB / KurrentDB node named by the EVENTSTOREDB_TEST_CONNECTION
/// environment variable (reading $all needs an admin user): the node's own system streams are no leaves, and the seals of
/// earlier runs (signed with the same test key) are checked with the rest.
/// </summary>
/// <remarks>Compiled only when that variable is set at build time (see the project file).</remarks>
public sealed class EventStoreDbRealServerLedgerSealTests : LedgerSealContract
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var connection = Environment.GetEnvironmentVariable("EVENTSTOREDB_TEST_CONNECTION");
        Assert.False(string.IsNullOrWhiteSpace(connection), "EVENTSTOREDB_TEST_CONNECTION was set when the tests were built but is not set now.");
        var store = new EventStoreDbEventStore(connection);
        await store.InitializeAsync(cancellationToken);
        return store;
    }
}
#endif
