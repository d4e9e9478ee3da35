using AuditDashboard.Core.Signing;
using Microsoft.Net.Http.Headers;

namespace AuditDashboard.Endpoints;

/// <summary>
/// The public keys that verify exports and ledger seals, current and retired: as a JWKS, or one key as PEM. Anyone with a
/// dashboard role may read them; they are saved beside an export so that it can be checked offline.
/// </summary>
internal static class SigningKeyEndpoints
{
    public static void MapSigningKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/exports/keys", KeySet).RequireAuthorization(Policies.ViewAccounts).WithTags("Exports");
        app.MapGet("/api/exports/keys/{keyId}", OneKey).RequireAuthorization(Policies.ViewAccounts).WithTags("Exports");
    }

    private static IResult KeySet(HttpContext context, ISigningKeys keys, bool download = false)
    {
        if (download)
            context.Response.Headers[HeaderNames.ContentDisposition] = "attachment; filename=\"audit-dashboard-keys.jwks.json\"";
        return Results.Text(JsonWebKeySet.Write(keys.Published), "application/jwk-set+json");
    }

    private static IResult OneKey(HttpContext context, string keyId, ISigningKeys keys)
    {
        var key = keys.Published.FirstOrDefault(k => k.KeyId == keyId);
        if (key is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such signing key.", detail: $"No published key has the id '{keyId}'.");
        context.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"{keyId}.pem\"";
        return Results.Text(key.ToPem(), "application/x-pem-file");
    }
}
