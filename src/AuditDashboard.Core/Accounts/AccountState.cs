namespace AuditDashboard.Core.Accounts;

/// <summary>An account as its events make it, after the event at <see cref="Revision"/>. Never stored: always folded.</summary>
public sealed record AccountState(
    string AccountId,
    string? Owner,
    string? Currency,
    decimal Balance,
    AccountStatus Status,
    long? Revision,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? LastChangedAt,
    int EventCount)
{
    /// <summary>The state before the first event.</summary>
    public static AccountState Initial(string accountId) =>
        new(accountId, Owner: null, Currency: null, Balance: 0m, AccountStatus.NotOpened, Revision: null, OpenedAt: null, LastChangedAt: null, EventCount: 0);
}
