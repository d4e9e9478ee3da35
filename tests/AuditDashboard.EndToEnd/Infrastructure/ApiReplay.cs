namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>One event as GET /api/accounts/{id}/events shows it (the fields the tests read).</summary>
public sealed record ApiEvent(long Revision, string EventType, DateTimeOffset Recorded, decimal BalanceAfter, string StatusAfter);

/// <summary>A page of GET /api/accounts/{id}/events.</summary>
public sealed record ApiEventPage(string AccountId, IReadOnlyList<ApiEvent> Events, long? LastRevision);

/// <summary>The account's fields in GET /api/accounts/{id}/state.</summary>
public sealed record ApiReplayState(string? Owner, string? Currency, decimal Balance, string Status, int EventCount);

/// <summary>GET /api/accounts/{id}/state?revision=k: the account as it was after one event.</summary>
public sealed record ApiAccountState(string AccountId, bool BeforeAccountExisted, long? Revision, DateTimeOffset? RecordedAt, ApiReplayState State);
