namespace AuditDashboard.Core.Reports;

/// <summary>The money a group of corrections moved in one currency: net (signed, as the balances changed) and gross (the sizes added up).</summary>
public sealed record CurrencyTotal(string Currency, decimal Net, decimal Gross);

/// <summary>
/// The corrections of one actor, one kind or one currency: how many, and their amounts per currency (never added across
/// currencies). <see cref="Name"/> is "" for corrections without one (no readable actor, no amount).
/// </summary>
public sealed record CorrectionGroup(string Name, long Count, IReadOnlyList<CurrencyTotal> Totals);

/// <summary>The corrections of one bucket of the chart (a day, week or month in the viewer's zone), counted by kind.</summary>
public sealed record CorrectionBucket(DateOnly Start, IReadOnlyDictionary<string, long> CountByKind);

/// <summary>
/// The four-eyes figures of a period: proposals and decisions recorded in it, the proposals of the period still
/// waiting for a decision now, and the median time from a proposal to its decision over the decisions of the period
/// whose proposal the index holds (<see cref="DecisionsTimed"/> of them).
/// </summary>
public sealed record FourEyesFigures(long Proposed, long Approved, long Rejected, long Pending, TimeSpan? MedianToDecision, long DecisionsTimed);
