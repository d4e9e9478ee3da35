namespace AuditDashboard.Auth;

public sealed class ApiKeyOptions
{
    public string Key { get; set; } = "";

    /// <summary>Comma-separated roles; a key with none can authenticate but is allowed nothing.</summary>
    public string Roles { get; set; } = "";
}
