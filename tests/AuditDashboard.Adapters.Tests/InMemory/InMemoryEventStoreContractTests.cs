using AuditDashboard.Core.Tests;

namespace AuditDashboard.Adapters.Tests.InMemory;

/// <summary>
/// The event store contract against the in-memory store the Core tests run on, so what those tests prove on it holds
/// for the real stores too.
/// </summary>
public sealed class InMemoryEventStoreContractTests : EventStoreContract
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new InMemoryEventStore();
        await store.InitializeAsync(cancellationToken);
        return store;
    }
}
