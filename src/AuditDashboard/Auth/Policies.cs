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

    /// <summary>Every policy above, with the roles it takes: what the app registers (and tests that need the real ones).</summary>
    public static void AddTo(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(ViewAccounts, p => p.RequireRole(Roles.All));
        options.AddPolicy(PostCorrections, p => p.RequireRole(Roles.Support));
        options.AddPolicy(ExportTimelines, p => p.RequireRole(Roles.ComplianceReviewer));
        options.AddPolicy(SearchEvents, p => p.RequireRole(Roles.Operator, Roles.ComplianceReviewer));
        options.AddPolicy(ReportCorrections, p => p.RequireRole(Roles.Support, Roles.ComplianceReviewer));
    }
}
