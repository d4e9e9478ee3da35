namespace AuditDashboard.Core.Export;

/// <summary>
/// The dashboard's signature of an export, carried by the signature row after the end row: ES256 (ECDSA P-256, SHA-256) over
/// <see cref="SignedBytes"/>, i.e. the text <c>audit-export/1 signature</c>, a line feed, row 0's hash, a line feed and the
/// final digest (the end row's hash), with no line feed at the end. The digest chains every row, row 0 (who exported which
/// account, view and range, and when) included, so a file whose rows or hashes were changed no longer matches its signature;
/// the signature row itself is outside what it signs.
/// </summary>
/// <param name="KeyId">The signing key's id (its RFC 7638 thumbprint), as the published key set names it.</param>
/// <param name="Value">The 64-byte signature, r then s (IEEE P1363, as JWS uses), in base64url without padding.</param>
public sealed record ExportSignature(string KeyId, string Value)
{
    /// <summary>The first line of the signed text: what is signed, and in which layout.</summary>
    public const string Purpose = ExportHeader.Schema + " signature";

    /// <summary>Exactly the bytes that are signed: UTF-8 (here plain ASCII) of purpose, row 0's hash and the digest, joined by LF.</summary>
    public static byte[] SignedBytes(string headerHash, string digest)
    {
        ArgumentNullException.ThrowIfNull(headerHash);
        ArgumentNullException.ThrowIfNull(digest);
        return Encoding.UTF8.GetBytes(Purpose + "\n" + headerHash + "\n" + digest);
    }

    /// <summary>Signs an export whose row 0 hashed to <paramref name="headerHash"/> and whose end row to <paramref name="digest"/>.</summary>
    public static ExportSignature Sign(ISigningKeys keys, string headerHash, string digest)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new ExportSignature(keys.Current.KeyId, Base64Url.Encode(keys.Sign(SignedBytes(headerHash, digest))));
    }

    /// <summary>Whether this is <paramref name="key"/>'s signature of the export with these hashes.</summary>
    public bool IsMadeBy(PublicSigningKey key, string headerHash, string digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.KeyId == KeyId
            && Base64Url.TryDecode(Value) is { Length: 64 } signature
            && key.Verifies(SignedBytes(headerHash, digest), signature);
    }

    /// <summary>The signature row's <c>data</c>: <c>{"alg":"ES256","kid":"…","signature":"…"}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("alg", PublicSigningKey.Algorithm);
            json.WriteString("kid", KeyId);
            json.WriteString("signature", Value);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The signature in a signature row's <c>data</c>, or null unless it is exactly what <see cref="ToJson"/> writes: the three
    /// members, ES256, and a signature of 64 bytes.
    /// </summary>
    public static ExportSignature? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.GetPropertyCount() != 3)
                return null;
            if (Text(root, "alg") != PublicSigningKey.Algorithm || Text(root, "kid") is not { Length: > 0 } kid || Text(root, "signature") is not { } value)
                return null;
            // Only the one encoding the writer makes (no padding, no line breaks): one signature, one text.
            return Base64Url.TryDecode(value) is { Length: 64 } bytes && Base64Url.Encode(bytes) == value ? new ExportSignature(kid, value) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
