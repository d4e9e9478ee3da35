using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditDashboard.Hosting;

/// <summary>
/// Writes a health report as plain text: just "Healthy" when all is well (what probes compare), otherwise the status
/// followed by one line per check that is not healthy, with its reason, so an operator reading the answer learns why.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries
            .Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description}");
        return context.Response.WriteAsync(string.Join('\n', [report.Status.ToString(), .. lines]));
    }
}
