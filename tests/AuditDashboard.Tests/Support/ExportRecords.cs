using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Support;

/// <summary>What the access log recorded of an export, found by the export id the response named.</summary>
public static class ExportRecords
{
    public static async Task<ExportRecorded> FindAsync(IEventStore store, Guid exportId, CancellationToken cancellationToken)
    {
        await foreach (var entry in AccessLog.ReadNewestAsync(store, 0, 1000, cancellationToken))
        {
            if (entry.Export?.ExportId == exportId)
                return entry.Export;
        }

        throw new Xunit.Sdk.XunitException($"Export {exportId} is not in the access log.");
    }
}
