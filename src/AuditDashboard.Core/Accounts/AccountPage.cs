using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Core.Accounts;

/// <summary>One page of an account search and how many accounts matched in all.</summary>
/// <param name="TotalIsLowerBound">
/// True when more accounts matched than a search counts (<see cref="AccountQuery.CountLimit"/>): then
/// <paramref name="Total"/> is that limit, and a longer term narrows the search.
/// </param>
public sealed record AccountPage(IReadOnlyList<AccountState> Items, int Total, bool TotalIsLowerBound = false);
