namespace AuditDashboard.Core.Accounts;

public enum AccountStatus
{
    /// <summary>Before the account existed: no AccountOpened yet.</summary>
    NotOpened,
    Open,
    Frozen,
    Closed,
}
