namespace AuditDashboard.Core.Signing;

/// <summary>
/// The dashboard's signing keys: one current key signs exports and ledger seals; retired keys stay published so that what they
/// signed before a rotation still verifies.
/// </summary>
public interface ISigningKeys
{
    /// <summary>The key that signs now.</summary>
    PublicSigningKey Current { get; }

    /// <summary>Every published key, the current one first, then the retired ones.</summary>
    IReadOnlyList<PublicSigningKey> Published { get; }

    /// <summary>The current key's ES256 signature of <paramref name="data"/>: 64 bytes, r then s (IEEE P1363), as JWS uses.</summary>
    byte[] Sign(ReadOnlySpan<byte> data);
}
