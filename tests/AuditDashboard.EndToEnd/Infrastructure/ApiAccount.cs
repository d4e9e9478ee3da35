namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>An account as GET /api/accounts shows it (the fields the tests read).</summary>
public sealed record ApiAccount(string AccountId, string? Owner, string? Currency, decimal Balance, string Status, long? Revision, int EventCount);

/// <summary>A page of GET /api/accounts.</summary>
public sealed record ApiAccountList(IReadOnlyList<ApiAccount> Items, int Total);
