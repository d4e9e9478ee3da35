using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Hosting;

namespace AuditDashboard.Tests.Hosting;

/// <summary>The frame of the console commands that open a ledger (seed, rebuild-read-models), over a real SQLite file.</summary>
public sealed class LedgerCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task Run_WhenTheWorkIsCancelled_ExitsWith130_AndClosesTheLedger()
    {
        var ledger = new SqliteEventStore(new EmbeddedStoreOptions(_folder.ConnectionString));

        var exitCode = await LedgerCommand.RunAsync(ledger, "Stopped; what was written stays.", async cancellationToken =>
        {
            await ledger.InitializeAsync(cancellationToken);
            throw new OperationCanceledException(cancellationToken);
        });

        Assert.Equal(130, exitCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.InitializeAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_WhenTheWorkEnds_ExitsWithItsCode_AndClosesTheLedger()
    {
        var ledger = new SqliteEventStore(new EmbeddedStoreOptions(_folder.ConnectionString));

        var exitCode = await LedgerCommand.RunAsync(ledger, "Stopped; what was written stays.", async cancellationToken =>
        {
            await ledger.InitializeAsync(cancellationToken);
            return 3;
        });

        Assert.Equal(3, exitCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.InitializeAsync(TestContext.Current.CancellationToken));
    }
}
