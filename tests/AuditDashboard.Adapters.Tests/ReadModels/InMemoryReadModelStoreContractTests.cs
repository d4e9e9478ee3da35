using AuditDashboard.Core.ReadModels;


namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>The read-model store contract against the in-memory store that tests and tools use.</summary>
public sealed class InMemoryReadModelStoreContractTests : ReadModelStoreContract
{
    private readonly InMemoryReadModelStore _store = new();

    // A restart of the in-memory store is the same instance: it holds what a process would have kept.
    protected override Task<IReadModelStore> CreateStoreAsync(CancellationToken cancellationToken) => Task.FromResult<IReadModelStore>(_store);

    protected override Task<IReadModelStore> ReopenStoreAsync(CancellationToken cancellationToken) => Task.FromResult<IReadModelStore>(_store);
}
