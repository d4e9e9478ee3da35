namespace AuditDashboard.Configuration;

/// <summary>
/// The key that signs exports and ledger seals. Section <c>Exports:SigningKey</c>. <c>Path</c> is the current private key (PEM,
/// ECDSA P-256); <c>RetiredKeys</c> lists the files of earlier keys (public or private PEM), still published so that what they
/// signed keeps verifying. Rotate by making a new key, pointing <c>Path</c> at it and adding the old file to <c>RetiredKeys</c>.
/// In Development a missing <c>Path</c> means <c>data/signing-key.pem</c>, made on first start; elsewhere it must be set.
/// </summary>
public sealed class SigningKeyOptions
{
    public const string Section = "Exports:SigningKey";

    /// <summary>Where Development keeps the key it makes itself, relative to the content root.</summary>
    public const string DevelopmentPath = "data/signing-key.pem";

    public string? Path { get; set; }

    public IList<string> RetiredKeys { get; init; } = [];
}
