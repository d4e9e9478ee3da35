namespace AuditDashboard.Auth;

/// <summary>The roles the dashboard knows. A user may hold several.</summary>
public static class Roles
{
    public const string Operator = "Operator";
    public const string Support = "Support";
    public const string ComplianceReviewer = "ComplianceReviewer";

    public static IReadOnlyList<string> All { get; } = [Operator, Support, ComplianceReviewer];

    /// <summary>Splits a configured role list such as <c>"Operator,Support"</c>.</summary>
    public static string[] Parse(string? roles) =>
        (roles ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
