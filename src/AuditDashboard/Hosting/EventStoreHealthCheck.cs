using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Hosting;

/// <summary>
/// Ready means the store answers and its file passed its integrity check, or is being checked after a clean shutdown
/// (see <see cref="StoreIntegrity.CheckingInBackground"/>). A store served read-only on purpose is
/// Degraded (still 200: it serves what it is configured to serve), and the description says so.
/// </summary>
internal sealed class EventStoreHealthCheck(IEventStore store, StoreCondition condition) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        switch (condition.Integrity)
        {
            case StoreIntegrity.Checking:
                return HealthCheckResult.Unhealthy("The event store file is being checked (PRAGMA quick_check); ready when it passes.");
            case StoreIntegrity.Damaged:
                return HealthCheckResult.Unhealthy(condition.IntegrityReport);
        }

        if (!await store.IsReachableAsync(cancellationToken))
            return HealthCheckResult.Unhealthy("The event store does not answer.");

        if (condition.IsReadOnly)
            return HealthCheckResult.Degraded("The event store answers and is served read-only on purpose (EventStore:ReadOnly=true): corrections, approvals and exports are refused.");
        return condition.Integrity == StoreIntegrity.CheckingInBackground
            ? HealthCheckResult.Healthy("The event store answers; its file, closed cleanly when last used, is being checked in the background.")
            : HealthCheckResult.Healthy("The event store answers.");
    }
}
