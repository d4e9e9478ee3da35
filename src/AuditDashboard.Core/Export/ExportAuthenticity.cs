namespace AuditDashboard.Core.Export;

/// <summary>
/// The second half of checking an export: after the chain (<see cref="ExportVerifier"/>), whether the file's signature is one
/// of the given keys' signature of its header row and final digest. Retired keys verify what they signed before a rotation.
/// </summary>
/// <param name="Key">The key that made the signature, when <see cref="Status"/> is <see cref="AuthenticityStatus.Authentic"/>.</param>
public sealed record ExportAuthenticity(AuthenticityStatus Status, string Message, PublicSigningKey? Key = null)
{
    public bool IsAuthentic => Status == AuthenticityStatus.Authentic;

    /// <summary>Checks the signature of <paramref name="chain"/>, a file whose chain is intact, against <paramref name="keys"/> (none: not checked).</summary>
    public static ExportAuthenticity Check(VerificationResult chain, IReadOnlyCollection<PublicSigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(keys);
        if (!chain.IsValid || chain.HeaderHash is null || chain.Digest is null)
            throw new ArgumentException("Only a file whose chain is intact has a signature worth checking.", nameof(chain));

        var signature = chain.Signature;
        if (keys.Count == 0)
        {
            var claim = signature is null ? "It carries no signature." : $"It says it was signed with key {signature.KeyId}.";
            return new ExportAuthenticity(AuthenticityStatus.NotChecked,
                $"Authenticity was NOT checked: no key was given, and anyone who edits a file can recompute its chain. {claim} Check it with the dashboard's published keys: --jwks KEYS.json (GET /api/exports/keys?download=true) or --key PUBLIC.pem.");
        }

        if (signature is null)
        {
            return new ExportAuthenticity(AuthenticityStatus.NotSigned,
                "NOT AUTHENTIC: the file carries no signature, so nothing shows that the dashboard made it (its signature row is missing: an export from before exports were signed, or one whose signature was cut off).");
        }

        var key = keys.FirstOrDefault(k => k.KeyId == signature.KeyId);
        if (key is null)
        {
            return new ExportAuthenticity(AuthenticityStatus.UnknownKey,
                $"NOT AUTHENTIC: the file was signed with key {signature.KeyId}, which is not among the given keys ({string.Join(", ", keys.Select(k => k.KeyId))}).");
        }

        if (!signature.IsMadeBy(key, chain.HeaderHash, chain.Digest))
        {
            return new ExportAuthenticity(AuthenticityStatus.BadSignature,
                $"NOT AUTHENTIC: the signature is not key {key.KeyId}'s signature of this file's header row and final digest: the file was altered after it was signed (its hashes recomputed), or someone else signed it.");
        }

        return new ExportAuthenticity(AuthenticityStatus.Authentic,
            $"Authentic: signed by the dashboard's key {key.KeyId}{(key.Current ? "" : " (a retired key)")} over the header row and the final digest.", key);
    }
}
