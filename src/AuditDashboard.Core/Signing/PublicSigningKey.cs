namespace AuditDashboard.Core.Signing;

/// <summary>
/// A public key that verifies what the dashboard signs: ECDSA on the P-256 curve with SHA-256 (JWS "ES256"). The key id is the
/// key's RFC 7638 JWK thumbprint, so anyone holding the public key can compute it and no registry of names is needed.
/// </summary>
/// <param name="X">The curve point's x coordinate, 32 bytes big-endian.</param>
/// <param name="Y">The curve point's y coordinate, 32 bytes big-endian.</param>
/// <param name="Current">Whether this key signs now; a retired key only verifies what it signed before.</param>
public sealed record PublicSigningKey(string KeyId, ReadOnlyMemory<byte> X, ReadOnlyMemory<byte> Y, bool Current)
{
    public const string Algorithm = "ES256";

    /// <summary>The public half of <paramref name="key"/>, with its thumbprint as id.</summary>
    public static PublicSigningKey From(ECDsa key, bool current)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new CryptographicException("Signing keys must be ECDSA keys on the P-256 curve.");
        var x = parameters.Q.X!;
        var y = parameters.Q.Y!;
        return new PublicSigningKey(Thumbprint(x, y), x, y, current);
    }

    /// <summary>
    /// The RFC 7638 thumbprint: base64url of the SHA-256 of <c>{"crv":"P-256","kty":"EC","x":"…","y":"…"}</c> (members in that
    /// order, no white space).
    /// </summary>
    public static string Thumbprint(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url.Encode(x)}}","y":"{{Base64Url.Encode(y)}}"}""";
        return Base64Url.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Whether <paramref name="signature"/> (64 bytes, r then s) is this key's ES256 signature of <paramref name="data"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = X.ToArray(), Y = Y.ToArray() },
        });
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The key as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo), the form openssl and Python's cryptography read.</summary>
    public string ToPem()
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = X.ToArray(), Y = Y.ToArray() },
        });
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
