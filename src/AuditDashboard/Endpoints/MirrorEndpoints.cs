using AuditDashboard.Auth;
using AuditDashboard.EventStore;
using AuditDashboard.Kafka;
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
            topic = monitor.Connection?.Settings.Topic,
            testCluster = monitor.Connection?.IsTestCluster ?? false,
            seals = monitor.Seals?.Mirror.Status() is { } seals
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

    private static async Task<IResult> ReplayAsync(MirrorMonitor monitor, IEventStore store, CancellationToken cancellationToken)
    {
        if (monitor.Mirror is not { } mirror || store is not IPersistentSubscriptions subscriptions)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The mirror is turned off.", detail: "Set Kafka:Enabled=true to mirror events.");
        var report = await monitor.ReportAsync(cancellationToken);
        await subscriptions.ReplayParkedAsync(mirror.Settings.GroupName, cancellationToken);
        return Results.Accepted("/api/mirror/status", new { replaying = report.ParkedCount });
    }
}
