using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;


namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// The read-model store contract against a real SQLite file in a folder of its own, as a first build writes it: the event
/// index without its lookups and the accounts without their text indexes, until a test completes the build.
/// </summary>
public class SqliteReadModelStoreContractTests : ReadModelStoreContract, IDisposable
{
    private readonly TempFolder _directory = new();

    protected override Task<IReadModelStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadModelStore>(new SqliteReadModelStore($"Data Source={_directory.File("readmodels.db")}"));

    protected override Task<IReadModelStore> ReopenStoreAsync(CancellationToken cancellationToken) => CreateStoreAsync(cancellationToken);

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The same contract on a file whose first build has completed (over an empty ledger), as a dashboard keeps it live: every
/// lookup and text index kept row by row.
/// </summary>
public sealed class SqliteReadModelStoreBuiltContractTests : SqliteReadModelStoreContractTests
{
    protected override Task OpenedAsync(IReadModelStore store) => store.CompleteFirstBuildAsync(TestCancellation);
}
