namespace AuditDashboard.Auth;

/// <summary>Authorization policies, checked on the server for every page and endpoint.</summary>
public static class Policies
{
    /// <summary>Read accounts and their timelines: every role of the dashboard.</summary>
    public const string ViewAccounts = "ViewAccounts";

    /// <summary>Post corrections: the Support role only.</summary>
    public const string PostCorrections = "PostCorrections";

    /// <summary>Export timelines and read the access log: the ComplianceReviewer role only.</summary>
    public const string ExportTimelines = "ExportTimelines";

    /// <summary>Search events across accounts and export what a search found: the Operator and ComplianceReviewer roles.</summary>
    public const string SearchEvents = "SearchEvents";

    /// <summary>Read the corrections report: the Support and ComplianceReviewer roles.</summary>
    public const string ReportCorrections = "ReportCorrections";

    /// <summary>The roles each policy above takes (any one of them will do).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> RolesOf { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [ViewAccounts] = Roles.All,
        [PostCorrections] = [Roles.Support],
        [ExportTimelines] = [Roles.ComplianceReviewer],
        [SearchEvents] = [Roles.Operator, Roles.ComplianceReviewer],
        [ReportCorrections] = [Roles.Support, Roles.ComplianceReviewer],
    };

    /// <summary>Every policy above, with the roles it takes: what the app registers (and tests that need the real ones).</summary>
    public static void AddTo(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (policy, roles) in RolesOf)
            options.AddPolicy(policy, p => p.RequireRole(roles));
    }
}
