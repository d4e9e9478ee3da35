namespace AuditDashboard.Core.Accounts;

/// <summary>A fact about an account. Each concrete event has a stable wire name in <see cref="AccountEventTypes"/>.</summary>
public abstract record AccountEvent;

/// <summary>The account came into existence, owned by <paramref name="Owner"/>, holding money in <paramref name="Currency"/> (ISO 4217).</summary>
public sealed record AccountOpened(string AccountId, string Owner, string Currency) : AccountEvent;

public sealed record FundsDeposited(decimal Amount, string Currency, string? Reference) : AccountEvent;

public sealed record FundsWithdrawn(decimal Amount, string Currency, string? Reference) : AccountEvent;

public sealed record AccountFrozen : AccountEvent;

public sealed record AccountUnfrozen : AccountEvent;

public sealed record AccountClosed : AccountEvent;
