using AuditDashboard.Core.Integrity;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Integrity;

/// <summary>
/// Not ready while a mismatch between the ledger and its seals is known: the pages would show a history that is not the one
/// sealed. Readiness does not wait for the first whole pass (on a large ledger it takes minutes); pages say it is running.
/// </summary>
internal sealed class LedgerIntegrityHealthCheck(LedgerIntegrity state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Violation is { } violation
            ? HealthCheckResult.Unhealthy("The ledger does not match its seals: " + violation.Description)
            : HealthCheckResult.Healthy("No mismatch between the ledger and its seals is known."));
}
