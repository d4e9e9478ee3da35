using System.Security.Claims;
using AuditDashboard.Access;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Endpoints;

/// <summary>
/// The access log over HTTP, for the ComplianceReviewer role only, checked here: the log filtered by user, account,
/// action and time, and who looked at one account in a period.
/// </summary>
internal static class AccessLogEndpoints
{
    /// <summary>The period "who viewed" covers when none is given.</summary>
    public static readonly TimeSpan DefaultViewersPeriod = TimeSpan.FromDays(7);

    public static void MapAccessLogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/access-log", AccessLogAsync).RequireAuthorization(Policies.ExportTimelines).WithTags("Access log");
        app.MapGet("/api/accounts/{id}/viewers", ViewersAsync).RequireAuthorization(Policies.ExportTimelines).WithTags("Access log");
    }

    /// <summary>
    /// Newest first, paged by <c>skip</c> and <c>take</c>, filtered by <c>user</c>, <c>account</c>, <c>action</c> and
    /// <c>from</c>/<c>to</c> (ISO 8601 with an offset); a filtered read scans a bounded part of the log and says so
    /// (<c>scanLimitReached</c>).
    /// </summary>
    private static async Task<IResult> AccessLogAsync(
        AccessLogReader reader, string? skip, string? take, string? user, string? account, string? action, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (skipValue, takeValue) = AccountEndpoints.ParsePaging(skip, take, errors);
        var filter = AccessLogQuery.Parse(user, account, action, from, to, zone: null, errors);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        var page = await reader.SearchAsync(filter, skipValue, takeValue, cancellationToken);
        var items = page.Items.Select(entry => new
        {
            revision = entry.Revision,
            recorded = entry.Recorded,
            entry.EventType,
            export = entry.Export,
            started = entry.Started,
            signIn = entry.SignIn,
            access = entry.Access,
        });
        return Results.Ok(new { items, total = page.Total, scanLimitReached = page.ScanLimitReached, skip = skipValue, take = takeValue });
    }

    /// <summary>Who looked at the account between <c>from</c> and <c>to</c> (default: the last seven days), newest first.</summary>
    private static async Task<IResult> ViewersAsync(
        AccessLogReader reader, TimeProvider time, ClaimsPrincipal user, string id, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = AccessLogQuery.Parse(null, id, null, from, to, zone: null, errors);
        if (errors.Remove("account"))
            return AccountEndpoints.AccountNotFound(id);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        var end = filter.To ?? time.GetUtcNow();
        var start = filter.From ?? end - DefaultViewersPeriod;
        var viewers = await reader.ViewersAsync(user, id, start, end, cancellationToken);
        return viewers is null ? Results.Forbid() : Results.Ok(new { accountId = id, from = start, to = end, items = viewers });
    }
}
