using System.Text.Json.Nodes;
using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Integrity;

/// <summary>
/// Proofs and seals: an event's inclusion proof in the latest seal, a consistency proof between two seals, the latest seal,
/// and starting a whole check. Hashes are lowercase hex; the leaf's canonical bytes are base64; seals carry their signature.
/// </summary>
internal static class IntegrityEndpoints
{
    public static void MapIntegrityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{id}/events/{revision:long}/proof", InclusionProof).RequireAuthorization(Policies.ViewAccounts).WithTags("Integrity");
        var seals = app.MapGroup("/api/seals").RequireAuthorization(Policies.ViewAccounts).WithTags("Integrity");
        seals.MapGet("/latest", Latest);
        seals.MapGet("/consistency", ConsistencyProof);
        app.MapPost("/api/integrity/check", StartCheck).RequireAuthorization(IntegrityPolicies.RunChecks).WithTags("Integrity").DisableAntiforgery();
    }

    private static async Task<IResult> InclusionProof(IEventStore store, LedgerIntegrity integrity, string id, long revision, CancellationToken cancellationToken)
    {
        if (revision < 0 || !AccountIds.IsValid(id))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event.", detail: $"Account '{id}' has no event at revision {revision}.");
        RecordedEvent? record = null;
        await foreach (var e in store.ReadStreamAsync(AccountIds.StreamOf(id), Direction.Forwards, revision, 1, cancellationToken))
            record = e;
        if (record is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event.", detail: $"Account '{id}' has no event at revision {revision}.");

        if (integrity.LastSeal is not { } seal || integrity.Leaves is not { } leaves || integrity.Tree is not { } tree || leaves.Count < seal.TreeSize)
            return NotSealed("The ledger has no seal yet, or the sealer has not opened its leaf records.");
        var attempt = LedgerProofs.Prove(record, seal, leaves, tree);
        if (attempt.Status == InclusionStatus.NotSealed)
            return NotSealed(string.Create(CultureInfo.InvariantCulture, $"The event at position {record.Position} is not covered by the latest seal ({seal.Number}, up to position {seal.LastPosition}); the next seal will cover it."));
        if (attempt.Proof is not { } proof)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The event does not match its seal.",
                detail: string.Create(CultureInfo.InvariantCulture, $"The event at position {record.Position} is not the one sealed as leaf {attempt.LeafIndex}: no proof can be given."));

        return Results.Ok(new JsonObject
        {
            ["accountId"] = id,
            ["streamId"] = record.StreamId,
            ["revision"] = record.Revision,
            ["position"] = record.Position,
            ["leafIndex"] = proof.LeafIndex,
            ["treeSize"] = seal.TreeSize,
            ["leaf"] = Convert.ToBase64String(proof.Leaf),
            ["leafHash"] = Convert.ToHexStringLower(proof.LeafHash()),
            ["auditPath"] = new JsonArray([.. proof.AuditPath.Select(p => JsonValue.Create(Convert.ToHexStringLower(p)))]),
            ["seal"] = seal.ToJson(),
        });
    }

    private static async Task<IResult> ConsistencyProof(IEventStore store, LedgerIntegrity integrity, long? from, long? to, CancellationToken cancellationToken)
    {
        var (seals, _) = await LedgerSeals.ReadAsync(store, cancellationToken);
        if (seals.Count == 0)
            return NotSealed("The ledger has no seal yet.");
        var newer = seals.FirstOrDefault(s => s.Number == (to ?? seals[^1].Number));
        var older = seals.FirstOrDefault(s => s.Number == (from ?? 1));
        if (older is null || newer is null || older.Number > newer.Number)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["from"] = [string.Create(CultureInfo.InvariantCulture, $"from and to are seal numbers with 1 ≤ from ≤ to ≤ {seals[^1].Number}.")],
            }, title: "The query is not valid.");
        if (integrity.Tree is not { } tree || integrity.Leaves is not { } leaves || leaves.Count < newer.TreeSize)
            return NotSealed("The sealer has not opened its leaf records yet.");

        var proof = MerkleProofs.Consistency(older.TreeSize, newer.TreeSize, tree);
        return Results.Ok(new JsonObject
        {
            ["from"] = older.ToJson(),
            ["to"] = newer.ToJson(),
            ["proof"] = new JsonArray([.. proof.Select(p => JsonValue.Create(Convert.ToHexStringLower(p)))]),
        });
    }

    private static IResult Latest(LedgerIntegrity integrity) =>
        integrity.LastSeal is { } seal ? Results.Ok(seal.ToJson()) : NotSealed("The ledger has no seal yet.");

    private static IResult StartCheck(LedgerIntegrity integrity) =>
        integrity.RequestFullCheck()
            ? Results.Accepted("/api/seals/latest", new JsonObject { ["started"] = true })
            : Results.Ok(new JsonObject { ["started"] = false, ["detail"] = "A check is already under way." });

    private static IResult NotSealed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not sealed yet.", detail: detail);
}
