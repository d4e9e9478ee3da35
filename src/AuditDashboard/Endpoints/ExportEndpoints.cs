using System.Security.Claims;
using AuditDashboard.Access;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;
using AuditDashboard.Export;
using AuditDashboard.Integrity;
using Microsoft.Net.Http.Headers;

namespace AuditDashboard.Endpoints;

/// <summary>
/// Compliance exports over HTTP: an account's timeline for the ComplianceReviewer role only, a search's matches for the
/// roles that may search (Operator and ComplianceReviewer), checked here. The file streams as it is written; every
/// export is recorded in the access log (read through <see cref="AccessLogEndpoints"/>).
/// </summary>
internal static class ExportEndpoints
{
    public static void MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{id}/export", ExportAsync).RequireAuthorization(Policies.ExportTimelines).WithTags("Exports");
        app.MapGet("/api/exports/{exportId:guid}/progress", Progress).RequireAuthorization(Policies.ExportTimelines).WithTags("Exports");
        app.MapGet("/api/events/search/export", ExportSearchAsync).RequireAuthorization(Policies.SearchEvents).WithTags("Exports");
    }

    /// <summary>Reads the query of an export; fills <paramref name="errors"/> for anything that is not valid.</summary>
    internal static (ExportFormat Format, ReplayView View, ExportRange? Range, Guid? ExportId, bool Proofs) ParseQuery(
        string? format, string? view, string? from, string? to, string? exportId, string? proofs, Dictionary<string, string[]> errors)
    {
        var chosenFormat = ExportFormats.Parse(format);
        if (chosenFormat is null)
            errors["format"] = [string.IsNullOrEmpty(format) ? "format is required: csv, ndjson or pdf." : "format must be csv, ndjson or pdf."];

        ReplayView? chosenView = view?.ToUpperInvariant() switch
        {
            null or "" or "RECORDED" => ReplayView.Recorded,
            "CORRECTED" => ReplayView.Corrected,
            _ => null,
        };
        if (chosenView is null)
            errors["view"] = ["view must be 'recorded' (as recorded) or 'corrected' (as corrected)."];

        Guid? id = null;
        if (!string.IsNullOrEmpty(exportId))
        {
            if (Guid.TryParse(exportId, out var parsed) && parsed != Guid.Empty)
                id = parsed;
            else
                errors["exportId"] = ["exportId must be a GUID (new for every export)."];
        }

        bool? withProofs = proofs?.ToUpperInvariant() switch
        {
            null or "" or "FALSE" => false,
            "TRUE" => true,
            _ => null,
        };
        if (withProofs is null)
            errors["proofs"] = ["proofs must be true (carry each event's inclusion proof against the latest ledger seal) or false."];

        var range = ExportRange.Parse(from, to, errors);
        return (chosenFormat ?? ExportFormat.Csv, chosenView ?? ReplayView.Recorded, range, id, withProofs ?? false);
    }

    private static async Task ExportAsync(
        HttpContext context, string id, string? format, string? view, string? from, string? to, string? exportId, string? proofs,
        TimelineExporter exporter, IOptions<IntegrityOptions> integrity, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = ParseQuery(format, view, from, to, exportId, proofs, errors);
        if (query.Proofs && !integrity.Value.Enabled)
            errors["proofs"] = ["Inclusion proofs need the ledger sealer, and it is off on this dashboard (Integrity:Enabled is false): there is no seal to prove the events against. Export without proofs=true."];

        if (errors.Count > 0)
        {
            await Results.ValidationProblem(errors, title: "The export request is not valid; nothing was exported.").ExecuteAsync(context);
            return;
        }

        ExportPlan? plan;
        try
        {
            plan = await exporter.PlanAsync(id, query.View, query.Range!, query.Format, UserOf(context.User), query.ExportId, query.Proofs, cancellationToken);
        }
        catch (ExportRefusedException ex)
        {
            await Results.Problem(statusCode: ex.StatusCode, title: ex.Title, detail: ex.Message).ExecuteAsync(context);
            return;
        }

        if (plan is null)
        {
            await AccountEndpoints.AccountNotFound(id).ExecuteAsync(context);
            return;
        }

        await SendAsync(context, exporter, plan, cancellationToken);
    }

    /// <summary>
    /// The export of a search's matches: the filters of <c>/api/events/search</c> with a <c>format</c> (and optionally an
    /// <c>exportId</c>); every match, in the search's order, so neither <c>limit</c> nor <c>continuation</c> is taken.
    /// </summary>
    private static async Task ExportSearchAsync(HttpContext context, TimelineExporter exporter, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = context.Request.Query;
        var search = EventSearchParameters.Parse(name => query[name].Where(v => v is not null).Select(v => v!).ToList(), errors);
        foreach (var paging in new[] { "limit", "continuation" })
        {
            if (query.ContainsKey(paging))
                errors[paging] = [$"An export holds every match of the search: leave {paging} out."];
        }

        var (format, _, _, exportId, _) = ParseQuery(query["format"], null, null, null, query["exportId"], null, errors);
        if (errors.Count > 0 || search is null)
        {
            await Results.ValidationProblem(errors, title: "The export request is not valid; nothing was exported.").ExecuteAsync(context);
            return;
        }

        ExportPlan plan;
        try
        {
            plan = await exporter.PlanSearchAsync(search, format, UserOf(context.User), exportId, cancellationToken);
        }
        catch (ExportRefusedException ex)
        {
            await Results.Problem(statusCode: ex.StatusCode, title: ex.Title, detail: ex.Message).ExecuteAsync(context);
            return;
        }

        await SendAsync(context, exporter, plan, cancellationToken);
    }

    /// <summary>Puts the planned export on the record, then streams it; a reused export id gets a 409 and nothing else.</summary>
    private static async Task SendAsync(HttpContext context, TimelineExporter exporter, ExportPlan plan, CancellationToken cancellationToken)
    {
        if (!await exporter.StartAsync(plan, cancellationToken))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "This export id was already used; nothing was exported.",
                detail: $"The access log already holds export {plan.Header.ExportId:D}. Every export needs a new id: leave exportId out and the server chooses one.",
                extensions: new Dictionary<string, object?> { ["exportId"] = plan.Header.ExportId }).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        response.ContentType = plan.Header.Format.ContentType();
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = plan.Header.FileName, FileName = plan.Header.FileName }.ToString();
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Export-Id"] = plan.Header.ExportId.ToString("D");
        await exporter.WriteAsync(plan, response.Body, cancellationToken);
    }

    private static IResult Progress(Guid exportId, ClaimsPrincipal user, ExportProgressRegistry registry)
    {
        var progress = registry.Find(exportId, UserOf(user));
        if (progress is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such export.", detail: "No export of yours with this id is running or just finished.");
        return Results.Ok(new
        {
            exportId,
            read = progress.Read,
            total = progress.Total,
            outcome = progress.Finished?.Outcome.ToString().ToLowerInvariant(),
            count = progress.Finished?.Count,
            digest = progress.Finished?.Digest,
        });
    }

    /// <summary>The name the access log records: the signed-in user's, or the API key's.</summary>
    internal static string UserOf(ClaimsPrincipal user) => AccessLooks.WhoOf(user);
}
