namespace AuditDashboard.Integrity;

/// <summary>Who may start a whole check of the ledger: Support and ComplianceReviewer (it reads the whole store).</summary>
public static class IntegrityPolicies
{
    public const string RunChecks = "RunIntegrityChecks";
}
