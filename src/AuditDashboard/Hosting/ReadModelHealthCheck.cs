using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Hosting;

/// <summary>
/// Ready only once the read models have caught up with the ledger's head as it was at start: a load balancer must not
/// send users to an instance that lists stale accounts. That is the account directory's projection and the ledger feed
/// (proposals, command ids, recent corrections), which resumes from the directory's checkpoint.
/// </summary>
internal sealed class ReadModelHealthCheck(AccountDirectory directory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var progress = directory.Progress;
        if (progress.IsCaughtUp && directory.IsCaughtUp)
            return Task.FromResult(HealthCheckResult.Healthy("The read models have caught up with the ledger."));
        if (progress.IsCaughtUp)
            return Task.FromResult(HealthCheckResult.Unhealthy("catching up: the account directory has caught up; the ledger feed is reading the events since its checkpoint."));
        if (progress.Head is null && progress.EventsApplied == 0)
            return Task.FromResult(HealthCheckResult.Unhealthy("catching up: the read models are opening and reading the ledger's head."));
        if (progress.IsIndexing)
            return Task.FromResult(HealthCheckResult.Unhealthy($"catching up: every event applied ({progress.Describe()})"));
        var detail = directory.LastError is { } error ? $"; the ledger subscription failed: {error.Message}" : "";
        return Task.FromResult(HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
            $"catching up: {progress.Behind:N0} events behind ({progress.Describe()}){detail}")));
    }
}
