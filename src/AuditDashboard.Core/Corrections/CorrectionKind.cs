namespace AuditDashboard.Core.Corrections;

public enum CorrectionKind
{
    /// <summary>Undo one deposit or withdrawal in full: <see cref="TransactionReversed"/>.</summary>
    Reversal,

    /// <summary>Move the balance by a signed amount: <see cref="BalanceCorrected"/>.</summary>
    Adjustment,
}
