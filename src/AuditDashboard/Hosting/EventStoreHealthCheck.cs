using AuditDashboard.EventStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Hosting;

/// <summary>Ready means the store answers.</summary>
internal sealed class EventStoreHealthCheck(IEventStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The event store answers.")
            : HealthCheckResult.Unhealthy("The event store does not answer.");
}
