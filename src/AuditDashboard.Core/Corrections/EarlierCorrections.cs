namespace AuditDashboard.Core.Corrections;

/// <summary>
/// What one user corrected before, within the approval window, in one currency, as absolute amounts: on the account
/// at hand, and on all accounts (that one included). Only corrections written without approval count.
/// </summary>
public sealed record EarlierCorrections(decimal OnAccount, decimal AcrossAccounts)
{
    public static EarlierCorrections Nothing { get; } = new(0m, 0m);
}
