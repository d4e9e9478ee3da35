namespace AuditDashboard.Auth;

public sealed class LocalUserOptions
{
    public string? DisplayName { get; set; }

    /// <summary>An ASP.NET Core Identity password hash (PBKDF2), never the password itself.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Comma-separated roles, e.g. <c>Operator,Support</c>.</summary>
    public string Roles { get; set; } = "";
}
