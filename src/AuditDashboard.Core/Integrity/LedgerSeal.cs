using System.Text.Json.Nodes;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// A signed statement that the ledger's first <see cref="TreeSize"/> leaves have the Merkle root <see cref="RootHash"/>.
/// The signature covers <see cref="SignedBytes"/>: the UTF-8 of these lines joined by a line feed, none after the last:
/// <code>
/// audit-seal/1
/// {number}            1 for the first seal, then one more each
/// {tree size}         leaves covered
/// {last position}     commit position of the last leaf covered
/// {root hash}         64 lowercase hex digits
/// {sealed at}         UTC, yyyy-MM-ddTHH:mm:ss.fffffffZ
/// {key id}            the signing key's RFC 7638 thumbprint
/// </code>
/// </summary>
/// <param name="Signature">ES256 (P1363, 64 bytes) of <see cref="SignedBytes"/>, base64url.</param>
public sealed record LedgerSeal(long Number, long TreeSize, long LastPosition, string RootHash, DateTimeOffset SealedAt, string KeyId, string Signature)
{
    public const string Schema = "audit-seal/1";

    /// <summary>Makes and signs the seal with the current key.</summary>
    public static LedgerSeal Create(long number, long treeSize, long lastPosition, ReadOnlySpan<byte> root, DateTimeOffset sealedAt, ISigningKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var unsigned = new LedgerSeal(number, treeSize, lastPosition, Convert.ToHexStringLower(root), Truncate(sealedAt), keys.Current.KeyId, "");
        return unsigned with { Signature = Base64Url.Encode(keys.Sign(unsigned.SignedBytes())) };
    }

    /// <summary>The root as bytes.</summary>
    public byte[] Root() => Convert.FromHexString(RootHash);

    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(string.Join('\n',
        Schema,
        Number.ToString(CultureInfo.InvariantCulture),
        TreeSize.ToString(CultureInfo.InvariantCulture),
        LastPosition.ToString(CultureInfo.InvariantCulture),
        RootHash,
        SealedAtText(SealedAt),
        KeyId));

    /// <summary>Whether one of <paramref name="keys"/> is the key the seal names and its signature holds.</summary>
    public bool IsSignedBy(IEnumerable<PublicSigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var key = keys.FirstOrDefault(k => k.KeyId == KeyId);
        var signature = Base64Url.TryDecode(Signature);
        return key is not null && signature is { Length: 64 } && IsWellFormed() && key.Verifies(SignedBytes(), signature);
    }

    /// <summary>The seal as the JSON that the seal stream, the Kafka topic and the file sink carry.</summary>
    public JsonObject ToJson() => new()
    {
        ["schema"] = Schema,
        ["number"] = Number,
        ["treeSize"] = TreeSize,
        ["lastPosition"] = LastPosition,
        ["rootHash"] = RootHash,
        ["sealedAt"] = SealedAtText(SealedAt),
        ["keyId"] = KeyId,
        ["signature"] = Signature,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(ToJson());

    /// <exception cref="FormatException">The bytes are not a seal.</exception>
    public static LedgerSeal Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("A seal is a JSON object.");
            if ((string?)node["schema"] != Schema)
                throw new FormatException($"A seal's schema is {Schema}.");
            var sealedAt = DateTimeOffset.ParseExact((string?)node["sealedAt"] ?? "", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new LedgerSeal(
                (long?)node["number"] ?? throw new FormatException("A seal has a number."),
                (long?)node["treeSize"] ?? throw new FormatException("A seal has a tree size."),
                (long?)node["lastPosition"] ?? throw new FormatException("A seal has a last position."),
                (string?)node["rootHash"] ?? throw new FormatException("A seal has a root hash."),
                sealedAt,
                (string?)node["keyId"] ?? throw new FormatException("A seal names its key."),
                (string?)node["signature"] ?? throw new FormatException("A seal has a signature."));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException("The seal is not well-formed: " + ex.Message, ex);
        }
    }

    public static string SealedAtText(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private bool IsWellFormed() =>
        Number >= 1 && TreeSize >= 1 && RootHash.Length == 64 && RootHash.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks, TimeSpan.Zero);
}
