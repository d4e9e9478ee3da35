using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;


namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>The read-model store contract against a real SQLite file in a folder of its own.</summary>
public sealed class SqliteReadModelStoreContractTests : ReadModelStoreContract, IDisposable
{
    private readonly TempFolder _directory = new();

    protected override Task<IReadModelStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadModelStore>(new SqliteReadModelStore($"Data Source={_directory.File("readmodels.db")}"));

    protected override Task<IReadModelStore> ReopenStoreAsync(CancellationToken cancellationToken) => CreateStoreAsync(cancellationToken);

    public void Dispose() => _directory.Dispose();
}
