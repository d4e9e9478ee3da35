using System.Security.Claims;
using System.Text.Json;
using AuditDashboard.Auth;
using AuditDashboard.Corrections;

namespace AuditDashboard.Endpoints;

/// <summary>Posting corrections over HTTP: the Support role only, checked here on the server for every request.</summary>
internal static class CorrectionEndpoints
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static void MapCorrectionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts/{id}/corrections", PostAsync)
            .RequireAuthorization(Policies.PostCorrections)
            .WithTags("Corrections");
    }

    private static async Task<IResult> PostAsync(string id, HttpRequest request, ClaimsPrincipal user, CorrectionService corrections, CancellationToken cancellationToken)
    {
        // Only JSON: a plain form post from another site can never carry a correction, whatever cookies it brings.
        if (!request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the correction as JSON.",
                detail: "Use Content-Type: application/json.");
        }

        CorrectionBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<CorrectionBody>(request.Body, JsonOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a correction.", detail: $"The JSON does not parse: {ex.Message}");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var kind = body?.Kind?.ToUpperInvariant() switch
        {
            "REVERSAL" => CorrectionKind.Reversal,
            "ADJUSTMENT" => CorrectionKind.Adjustment,
            _ => (CorrectionKind?)null,
        };
        if (kind is null)
            errors["kind"] = ["kind must be 'reversal' or 'adjustment'."];
        if (body?.ExpectedRevision is not { } expected || expected < 0)
            errors["expectedRevision"] = ["expectedRevision is required: the revision of the account the correction was prepared on."];
        if (body?.CommandId is not { } commandId || commandId == Guid.Empty)
            errors["commandId"] = ["commandId is required: a new GUID per correction, the same one when retrying it."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The correction is not valid.");

        var command = new CorrectionCommand(
            id,
            new CorrectionRequest(kind!.Value, body!.EventId, body.Amount, body.Reason, body.EffectiveAt),
            body.ExpectedRevision!.Value,
            body.CommandId!.Value,
            Actor: user.Identity?.Name ?? "unknown",
            CorrelationId: body.CommandId.Value.ToString("N"),
            Source: "audit-dashboard");

        return await corrections.PostAsync(command, cancellationToken) switch
        {
            CorrectionOutcome.Written w => Results.Created(
                $"/api/accounts/{Uri.EscapeDataString(id)}/events?fromRevision={w.Revision}&count=1",
                new { revision = w.Revision, eventId = command.CommandId, eventType = Accounts.AccountEventTypes.NameOf(w.Correction) }),
            CorrectionOutcome.Refused r => Results.ValidationProblem(r.Errors, title: "The correction is not valid; nothing was written."),
            CorrectionOutcome.Conflict c => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The account changed; nothing was written.",
                detail: $"The correction was prepared on revision {c.ExpectedRevision}, but the account is at {c.ActualRevision}. Review the new events and preview again.",
                extensions: new Dictionary<string, object?>
                {
                    ["actualRevision"] = c.ActualRevision,
                    ["newEvents"] = c.NewEvents.Select(EventDto.From).ToList(),
                }),
            _ => AccountEndpoints.AccountNotFound(id),
        };
    }

    private sealed record CorrectionBody(string? Kind, Guid? EventId, decimal? Amount, string? Reason, DateTimeOffset? EffectiveAt, long? ExpectedRevision, Guid? CommandId);
}
