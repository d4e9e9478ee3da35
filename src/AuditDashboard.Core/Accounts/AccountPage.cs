namespace AuditDashboard.Accounts;

/// <summary>One page of an account search and how many accounts matched in all.</summary>
public sealed record AccountPage(IReadOnlyList<AccountState> Items, int Total);
