namespace AuditDashboard.Auth;

/// <summary>Who may sign in and with which roles. Section <c>Auth</c>.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>Local users by user name (embedded default).</summary>
    public Dictionary<string, LocalUserOptions> Users { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>API keys by name; sent as the <c>X-Api-Key</c> header.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, user) in Users)
        {
            if (string.IsNullOrWhiteSpace(user.PasswordHash))
                yield return new ValidationResult($"Auth:Users:{name}:PasswordHash is required (make one with 'hash-password').");
            if (Roles.Parse(user.Roles).Length == 0)
                yield return new ValidationResult($"Auth:Users:{name}:Roles is required, e.g. 'Operator'.");
        }

        foreach (var (name, key) in ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key.Key) || key.Key.Length < 16)
                yield return new ValidationResult($"Auth:ApiKeys:{name}:Key must be at least 16 characters.");
        }

        if (!string.IsNullOrWhiteSpace(Oidc.Authority) && string.IsNullOrWhiteSpace(Oidc.ClientId))
            yield return new ValidationResult("Auth:Oidc:ClientId is required when Auth:Oidc:Authority is set.");
    }
}
