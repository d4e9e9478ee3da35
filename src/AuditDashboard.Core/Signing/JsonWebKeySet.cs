using System.Text.Json.Nodes;

namespace AuditDashboard.Core.Signing;

/// <summary>
/// The published keys as a JWKS (RFC 7517): <c>{"keys":[{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig",
/// "status":"current"|"retired"}]}</c>. <c>status</c> is ours; JWK readers ignore members they do not know.
/// </summary>
public static class JsonWebKeySet
{
    public static string Write(IEnumerable<PublicSigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var array = new JsonArray();
        foreach (var key in keys)
        {
            array.Add(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url.Encode(key.X.Span),
                ["y"] = Base64Url.Encode(key.Y.Span),
                ["kid"] = key.KeyId,
                ["alg"] = PublicSigningKey.Algorithm,
                ["use"] = "sig",
                ["status"] = key.Current ? "current" : "retired",
            });
        }

        return new JsonObject { ["keys"] = array }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// The P-256 keys of a JWKS. A key's id is recomputed from its coordinates; a <c>kid</c> that does not match its thumbprint
    /// is refused, so a key set cannot pass one key off as another.
    /// </summary>
    /// <exception cref="FormatException">The text is not a JWKS of P-256 keys.</exception>
    public static IReadOnlyList<PublicSigningKey> Read(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The key set is not JSON: " + ex.Message, ex);
        }

        if (root?["keys"] is not JsonArray keys)
            throw new FormatException("The key set has no \"keys\" array.");

        var result = new List<PublicSigningKey>();
        foreach (var node in keys)
        {
            if (node is not JsonObject key || Text(key, "kty") != "EC" || Text(key, "crv") != "P-256")
                continue;
            var x = Base64Url.TryDecode(Text(key, "x"));
            var y = Base64Url.TryDecode(Text(key, "y"));
            if (x is not { Length: 32 } || y is not { Length: 32 })
                throw new FormatException("A P-256 key in the key set has no valid x or y coordinate.");
            var thumbprint = PublicSigningKey.Thumbprint(x, y);
            if (Text(key, "kid") is { } kid && kid != thumbprint)
                throw new FormatException($"The key '{kid}' in the key set is not the key its id names (its thumbprint is {thumbprint}).");
            result.Add(new PublicSigningKey(thumbprint, x, y, Text(key, "status") == "current"));
        }

        return result;
    }

    private static string? Text(JsonObject key, string name) =>
        key[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
