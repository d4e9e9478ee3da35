namespace AuditDashboard.Core.Corrections;

/// <summary>
/// What support staff ask for, as typed: every part may be missing or wrong, which <see cref="CorrectionRules"/> reports.
/// </summary>
/// <param name="Kind">Reversal or adjustment.</param>
/// <param name="EventId">The event to reverse (required for a reversal), or the event an adjustment is about (optional).</param>
/// <param name="Amount">An adjustment's signed amount; for a reversal, if given, it must be the reversed event's amount.</param>
/// <param name="Reason">Why: 10 to 1,000 characters.</param>
/// <param name="EffectiveAt">When it takes effect in the "as corrected" view; by default the referenced event's time, else now.</param>
public sealed record CorrectionRequest(CorrectionKind Kind, Guid? EventId, decimal? Amount, string? Reason, DateTimeOffset? EffectiveAt);
