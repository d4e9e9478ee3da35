namespace AuditDashboard.Core.Corrections;

/// <summary>
/// The outcome of checking a correction: either the event to append (with the event it is caused by), or the reasons
/// it may not be written, by field.
/// </summary>
public sealed record CorrectionDecision(AccountEvent? Correction, Guid? CausationId, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Correction is not null && Errors.Count == 0;

    /// <summary>The correction's signed effect on the balance.</summary>
    public decimal Amount => Correction switch
    {
        TransactionReversed r => r.Amount,
        BalanceCorrected c => c.Amount,
        _ => 0m,
    };
}
