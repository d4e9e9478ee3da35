namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>The event store contract, persistent subscriptions included, against a real SQLite file in a folder of its own.</summary>
public sealed class SqliteEventStoreContractTests : PersistentSubscriptionContract
{
    private readonly TempFolder _directory = new();

    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        // A small page makes the multi-page paths (long reads, catch-up, paging while a writer races) run in ordinary tests.
        var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_directory.File("events.db")}") { ReadPageSize = 64 });
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    protected override async ValueTask DisposeStoreAsync(IEventStore store)
    {
        await base.DisposeStoreAsync(store);
        _directory.Dispose();
    }

    /// <summary>A restart: the store is closed (its folder and file stay) and a new one opens the same file.</summary>
    protected override async Task<IEventStore> ReopenStoreAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await base.DisposeStoreAsync(store);
        return await CreateStoreAsync(cancellationToken);
    }
}
