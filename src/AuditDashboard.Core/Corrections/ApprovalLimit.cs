namespace AuditDashboard.Core.Corrections;

/// <summary>Which limit makes a correction need a second Support user's approval.</summary>
public enum ApprovalLimit
{
    /// <summary>No limit is crossed: the correction is written at once.</summary>
    None,

    /// <summary>The correction alone is above the threshold.</summary>
    OneCorrection,

    /// <summary>With the user's earlier corrections on the same account within the window, the sum is above the threshold.</summary>
    Account,

    /// <summary>With the user's earlier corrections on every account within the window, the sum is above the limit across accounts.</summary>
    AcrossAccounts,
}
