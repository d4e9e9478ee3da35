using AuditDashboard.Mirror;

namespace AuditDashboard.Endpoints;

/// <summary>The Kafka mirror's health over HTTP: its status for anyone signed in, replaying parked events for Support.</summary>
internal static class MirrorEndpoints
{
    public static void MapMirrorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/mirror/status", StatusAsync).RequireAuthorization(Policies.ViewAccounts).WithTags("Mirror");
        app.MapPost("/api/mirror/parked/replay", ReplayAsync).RequireAuthorization(Policies.PostCorrections).WithTags("Mirror");
    }

    private static async Task<IResult> StatusAsync(MirrorMonitor monitor, CancellationToken cancellationToken)
    {
        var report = await monitor.ReportAsync(cancellationToken);
        var status = report.Status;
        return Results.Ok(new
        {
            state = status.State.ToString().ToLowerInvariant(),
            lastMirroredPosition = status.LastMirroredPosition,
            lagEvents = report.LagEvents,
            lagAtLeast = report.LagAtLeast,
            lagSeconds = Math.Round(report.LagSeconds, 3),
            parkedCount = report.ParkedCount,
            lastError = status.LastError,
            lastErrorAt = status.LastErrorAt,
            storeError = report.StoreError,
            eventsPerSecond = Math.Round(status.EventsPerSecond, 1),
            mirrored = status.Mirrored,
            duplicatesSkipped = status.DuplicatesSkipped,
            topic = monitor.Mirror?.Target.Topic,
            testCluster = monitor.Mirror?.Target.IsTestCluster ?? false,
            seals = monitor.Mirror?.Seals?.Status() is { } seals
                ? new
                {
                    state = seals.State.ToString().ToLowerInvariant(),
                    lastMirroredPosition = seals.LastMirroredPosition,
                    mirrored = seals.Mirrored,
                    duplicatesSkipped = seals.DuplicatesSkipped,
                    parked = seals.Parked,
                    lastError = seals.LastError,
                    lastErrorAt = seals.LastErrorAt,
                }
                : null,
        });
    }

    private static async Task<IResult> ReplayAsync(MirrorMonitor monitor, CancellationToken cancellationToken)
    {
        if (monitor.Mirror is not { } mirror)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The mirror is turned off.", detail: "Set Kafka:Enabled=true to mirror events.");
        var report = await monitor.ReportAsync(cancellationToken);
        await mirror.ReplayParkedAsync(cancellationToken);
        return Results.Accepted("/api/mirror/status", new { replaying = report.ParkedCount });
    }
}
