namespace AuditDashboard.Core.Signing;

/// <summary>An <see cref="ISigningKeys"/> over keys already loaded: a private current key and the public halves of retired ones.</summary>
public sealed class SigningKeySet : ISigningKeys, IDisposable
{
    private readonly ECDsa _current;

    public SigningKeySet(ECDsa current, IEnumerable<PublicSigningKey> retired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(retired);
        _current = current;
        Current = PublicSigningKey.From(current, current: true);
        Published = [Current, .. retired.Where(k => k.KeyId != Current.KeyId).DistinctBy(k => k.KeyId).Select(k => k with { Current = false })];
    }

    public PublicSigningKey Current { get; }

    public IReadOnlyList<PublicSigningKey> Published { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _current.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>A published key by id, or null.</summary>
    public PublicSigningKey? Find(string keyId) => Published.FirstOrDefault(k => k.KeyId == keyId);

    public void Dispose() => _current.Dispose();
}
