namespace AuditDashboard.Core.Accounts;

/// <summary>
/// A deposit or withdrawal undone in full. <paramref name="Amount"/> is the signed change to the balance (reversing a
/// deposit of 100 is -100); <paramref name="EffectiveAt"/> is when it takes effect in the "as corrected" view, by default
/// the reversed event's time.
/// </summary>
public sealed record TransactionReversed(Guid ReversedEventId, long ReversedRevision, decimal Amount, string Currency, DateTimeOffset EffectiveAt) : AccountEvent;

/// <summary>
/// A signed adjustment of the balance, optionally about one event (<paramref name="ReferencedEventId"/>), taking effect
/// at <paramref name="EffectiveAt"/> in the "as corrected" view.
/// </summary>
public sealed record BalanceCorrected(decimal Amount, string Currency, Guid? ReferencedEventId, DateTimeOffset EffectiveAt) : AccountEvent;
