using System.Security.Claims;
using System.Text.Json;

namespace AuditDashboard.Endpoints;

/// <summary>
/// Posting corrections, and listing, approving and rejecting proposals, over HTTP: the Support role only, checked here on
/// the server for every request.
/// </summary>
internal static class CorrectionEndpoints
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static void MapCorrectionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts/{id}/corrections", PostAsync)
            .RequireAuthorization(Policies.PostCorrections)
            .WithTags("Corrections");
        app.MapGet("/api/proposals", ListProposals)
            .RequireAuthorization(Policies.PostCorrections)
            .WithTags("Corrections");
        app.MapPost("/api/accounts/{id}/proposals/{proposalId:guid}/approve", (string id, Guid proposalId, HttpRequest request, ClaimsPrincipal user, CorrectionService corrections, CancellationToken ct) =>
                DecideAsync(id, proposalId, approve: true, request, user, corrections, ct))
            .RequireAuthorization(Policies.PostCorrections)
            .WithTags("Corrections");
        app.MapPost("/api/accounts/{id}/proposals/{proposalId:guid}/reject", (string id, Guid proposalId, HttpRequest request, ClaimsPrincipal user, CorrectionService corrections, CancellationToken ct) =>
                DecideAsync(id, proposalId, approve: false, request, user, corrections, ct))
            .RequireAuthorization(Policies.PostCorrections)
            .WithTags("Corrections");
    }

    private static IResult ListProposals(CorrectionProposals proposals, string? status, string? account)
    {
        var chosen = status?.ToUpperInvariant() switch
        {
            null or "" or "PENDING" => proposals.Pending(),
            "DECIDED" => proposals.Decided(int.MaxValue),
            "APPROVED" => proposals.Decided(int.MaxValue).Where(p => p.Status == ProposalStatus.Approved).ToList(),
            "REJECTED" => proposals.Decided(int.MaxValue).Where(p => p.Status == ProposalStatus.Rejected).ToList(),
            "ALL" => [.. proposals.Pending(), .. proposals.Decided(int.MaxValue)],
            _ => null,
        };
        if (chosen is null)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["status"] = ["status must be pending, decided, approved, rejected or all."] },
                title: "The query is not valid.");
        }

        var items = chosen
            .Where(p => string.IsNullOrEmpty(account) || string.Equals(p.AccountId, account, StringComparison.OrdinalIgnoreCase))
            .Select(ProposalDto.From)
            .ToList();
        return Results.Ok(new { items, total = items.Count });
    }

    private static async Task<IResult> DecideAsync(string id, Guid proposalId, bool approve, HttpRequest request, ClaimsPrincipal user, CorrectionService corrections, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadJsonAsync<DecisionBody>(request, "decision", cancellationToken);
        if (invalid is not null)
            return invalid;
        if (body?.CommandId is not { } commandId || commandId == Guid.Empty)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["commandId"] = ["commandId is required: a new GUID per decision, the same one when retrying it."] },
                title: "The decision is not valid.");
        }

        var command = new ProposalCommand(id, proposalId, commandId, user.Identity?.Name ?? "unknown", body.Reason, "audit-dashboard");
        var outcome = approve ? await corrections.ApproveAsync(command, cancellationToken) : await corrections.RejectAsync(command, cancellationToken);
        return outcome switch
        {
            ProposalOutcome.Approved a => Results.Created(
                $"/api/accounts/{Uri.EscapeDataString(id)}/events?fromRevision={a.ApprovalRevision}&count=2",
                new { status = "approved", approvalRevision = a.ApprovalRevision, revision = a.CorrectionRevision, eventType = AccountEventTypes.NameOf(a.Correction) }),
            ProposalOutcome.Rejected r => Results.Ok(new { status = "rejected", revision = r.Revision }),
            ProposalOutcome.Refused r => Results.ValidationProblem(r.Errors, title: approve
                ? "The proposal cannot be approved; nothing was written."
                : "The proposal cannot be rejected; nothing was written."),
            ProposalOutcome.OwnProposal o => Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "You cannot approve your own proposal.",
                detail: $"{o.Proposer} proposed this correction; four eyes means another Support user must approve it. You may reject it to withdraw it."),
            ProposalOutcome.AlreadyDecided d => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The proposal was already decided; nothing was written.",
                detail: $"It was {(d.Decision.Event is CorrectionApproved ? "approved" : "rejected")} by {d.Decision.Metadata?.Actor ?? "unknown"} at revision {d.Decision.Revision}.",
                extensions: new Dictionary<string, object?> { ["decisionRevision"] = d.Decision.Revision }),
            ProposalOutcome.Conflict c => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The account kept changing; nothing was written.",
                detail: "Other events were written while the decision was being recorded. Try again.",
                extensions: new Dictionary<string, object?> { ["actualRevision"] = c.ActualRevision }),
            ProposalOutcome.NotFound n => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: n.Message),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }

    private static async Task<(T? Body, IResult? Invalid)> ReadJsonAsync<T>(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        // Only JSON: a plain form post from another site can never carry a command, whatever cookies it brings.
        if (!request.HasJsonContentType())
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: $"Send the {what} as JSON.",
                detail: "Use Content-Type: application/json."));
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, JsonOptions, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"The body is not a {what}.", detail: $"The JSON does not parse: {ex.Message}"));
        }
    }

    private static async Task<IResult> PostAsync(string id, HttpRequest request, ClaimsPrincipal user, CorrectionService corrections, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadJsonAsync<CorrectionBody>(request, "correction", cancellationToken);
        if (invalid is not null)
            return invalid;

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
                new { revision = w.Revision, eventId = command.CommandId, eventType = AccountEventTypes.NameOf(w.Correction) }),
            CorrectionOutcome.Proposed p => Results.Accepted(
                "/api/proposals?status=pending",
                new
                {
                    status = "pending",
                    revision = p.Revision,
                    proposalId = command.CommandId,
                    eventType = AccountEventTypes.CorrectionProposed,
                    detail = p.Approval is { Limit: ApprovalLimit.Account or ApprovalLimit.AcrossAccounts } cumulative
                        ? cumulative.Explanation
                        : $"Above the approval threshold ({Currencies.Format(corrections.Thresholds.For(p.Proposal.Currency) ?? 0, p.Proposal.Currency)}): another Support user must approve it.",
                }),
            CorrectionOutcome.CommandReused u => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The command id was already used for a different command; nothing was written.",
                detail: $"Command {u.CommandId} wrote revision {u.Revision} of account {u.AccountId}, which is not this correction. " +
                    "Every correction needs a new command id; repeat an id only to retry the very same correction.",
                extensions: new Dictionary<string, object?>
                {
                    ["commandId"] = u.CommandId,
                    ["accountId"] = u.AccountId,
                    ["revision"] = u.Revision,
                }),
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

    private sealed record DecisionBody(Guid? CommandId, string? Reason);

    private sealed record CorrectionBody(string? Kind, Guid? EventId, decimal? Amount, string? Reason, DateTimeOffset? EffectiveAt, long? ExpectedRevision, Guid? CommandId);
}
