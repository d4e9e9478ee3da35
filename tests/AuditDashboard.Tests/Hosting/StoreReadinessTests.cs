using AuditDashboard.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Tests.Hosting;

/// <summary>
/// The store's part of readiness while its file is checked: not ready while a check runs after a crash, ready while it
/// runs after a clean shutdown, and never ready once damage was found, whatever is said after.
/// </summary>
public sealed class StoreReadinessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Readiness_WaitsForACheckAfterACrash_ButNotForOneInTheBackgroundAfterACleanShutdown()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        var afterCrash = new StoreCondition(isReadOnly: false, checksIntegrity: true);
        var afterCleanShutdown = new StoreCondition(isReadOnly: false, checksIntegrity: true);

        afterCleanShutdown.CheckRunsInBackground();
        var waiting = await new EventStoreHealthCheck(store, afterCrash).CheckHealthAsync(new HealthCheckContext(), cancellationToken);
        var serving = await new EventStoreHealthCheck(store, afterCleanShutdown).CheckHealthAsync(new HealthCheckContext(), cancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, waiting.Status);
        Assert.Contains("is being checked", waiting.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, serving.Status);
        Assert.Contains("being checked in the background", serving.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_AfterDamageWasFound_StaysUnhealthy_EvenIfTheCheckIsThenSaidToRunInTheBackground()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        var condition = new StoreCondition(isReadOnly: false, checksIntegrity: true);

        condition.CheckFinished(intact: false, "The event store file 'x' is damaged: PRAGMA quick_check reports page 7.");
        condition.CheckRunsInBackground();
        var result = await new EventStoreHealthCheck(store, condition).CheckHealthAsync(new HealthCheckContext(), cancellationToken);

        Assert.Equal(StoreIntegrity.Damaged, condition.Integrity);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("is damaged", result.Description, StringComparison.Ordinal);
    }
}
