using AuditDashboard.Embedded;
using AuditDashboard.EventStore;

namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>The sealer and the checker over the embedded store, a real SQLite file in a folder of its own.</summary>
public sealed class SqliteLedgerSealTests : LedgerSealContract
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={TempFile("events.db")}"));
        await store.InitializeAsync(cancellationToken);
        return store;
    }
}
