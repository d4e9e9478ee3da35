using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditDashboard.Tests.Hosting;

/// <summary>
/// The check of a store file closed cleanly runs in the background, after the read models have caught up (it would take
/// a core from their build), or at once when their projection fails; after a crash it runs at once, as readiness waits
/// for it.
/// </summary>
public sealed class StoreIntegrityCheckTests : IDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AfterACleanShutdown_TheCheckWaitsForTheReadModelsToCatchUp_ThenPasses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var store = await ReopenedAfterACleanShutdownAsync(cancellationToken);
        var condition = new StoreCondition(isReadOnly: false, checksIntegrity: true);
        var directory = new AccountDirectory();
        using var check = new StoreIntegrityCheck(store, condition, directory, NullLogger<StoreIntegrityCheck>.Instance);

        await check.StartAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var whileBuilding = condition.Integrity;
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var projection = directory.FollowAsync(store, TimeProvider.System, Retry, following.Token);
        await WaitForAsync(() => condition.Integrity is StoreIntegrity.Intact or StoreIntegrity.Damaged, cancellationToken);

        Assert.Equal(StoreIntegrity.CheckingInBackground, whileBuilding);
        Assert.Equal(StoreIntegrity.Intact, condition.Integrity);
        Assert.True(directory.ProjectionIsCaughtUp);
        await following.CancelAsync();
        await projection;
        await check.StopAsync(cancellationToken);
    }

    [Fact]
    public async Task AfterACleanShutdown_AProjectionThatFails_LetsTheCheckRunAtOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var store = await ReopenedAfterACleanShutdownAsync(cancellationToken);
        using var elsewhere = new TempFolder();
        await File.WriteAllTextAsync(elsewhere.DatabasePath, "not a ledger, and not a database either", cancellationToken);
        await using var unreadable = new SqliteEventStore(elsewhere.ConnectionString);
        var condition = new StoreCondition(isReadOnly: false, checksIntegrity: true);
        var directory = new AccountDirectory();
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var projection = directory.FollowAsync(unreadable, TimeProvider.System, Retry, following.Token);
        using var check = new StoreIntegrityCheck(store, condition, directory, NullLogger<StoreIntegrityCheck>.Instance);

        await check.StartAsync(cancellationToken);
        await WaitForAsync(() => condition.Integrity is StoreIntegrity.Intact or StoreIntegrity.Damaged, cancellationToken);

        Assert.NotNull(directory.LastError);
        Assert.False(directory.ProjectionIsCaughtUp);
        Assert.Equal(StoreIntegrity.Intact, condition.Integrity);
        await following.CancelAsync();
        await projection;
        await check.StopAsync(cancellationToken);
    }

    [Fact]
    public async Task AfterACrash_TheCheckRunsAtOnce_WithoutWaitingForTheReadModels()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        await Ledger.OpenAsync(store, "ACC-1", "Ada", "EUR", 10m, cancellationToken);
        await using var again = await Ledger.OpenStoreAsync(_folder, cancellationToken); // the first is still open: its log is left
        var condition = new StoreCondition(isReadOnly: false, checksIntegrity: true);
        var directory = new AccountDirectory();
        using var check = new StoreIntegrityCheck(again, condition, directory, NullLogger<StoreIntegrityCheck>.Instance);

        await check.StartAsync(cancellationToken);
        await WaitForAsync(() => condition.Integrity is StoreIntegrity.Intact or StoreIntegrity.Damaged, cancellationToken);

        Assert.False(again.WasClosedCleanly);
        Assert.False(directory.ProjectionIsCaughtUp);
        Assert.Equal(StoreIntegrity.Intact, condition.Integrity);
        await check.StopAsync(cancellationToken);
    }

    private async Task<SqliteEventStore> ReopenedAfterACleanShutdownAsync(CancellationToken cancellationToken)
    {
        await using (var first = await Ledger.OpenStoreAsync(_folder, cancellationToken))
            await Ledger.OpenAsync(first, "ACC-1", "Ada", "EUR", 10m, cancellationToken);
        var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        Assert.True(store.WasClosedCleanly);
        return store;
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Ledger.Patience);
        while (!condition())
            await Task.Delay(20, patience.Token);
    }
}
