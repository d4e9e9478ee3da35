namespace AuditDashboard.Auth;

/// <summary>The roles the dashboard knows. A user may hold several.</summary>
public static class Roles
{
    public const string Operator = "Operator";
    public const string Support = "Support";
    public const string ComplianceReviewer = "ComplianceReviewer";

    public static IReadOnlyList<string> All { get; } = [Operator, Support, ComplianceReviewer];

    /// <summary>A role as people read it: "Compliance reviewer" for ComplianceReviewer.</summary>
    public static string DisplayName(string role) => role switch
    {
        ComplianceReviewer => "Compliance reviewer",
        _ => role,
    };

    /// <summary>Roles as people read them, joined with "or": "Operator or Compliance reviewer".</summary>
    public static string DisplayNames(IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var names = roles.Select(DisplayName).ToList();
        return names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.SkipLast(1))} or {names[^1]}";
    }

    /// <summary>Splits a configured role list such as <c>"Operator,Support"</c>.</summary>
    public static string[] Parse(string? roles) =>
        (roles ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
