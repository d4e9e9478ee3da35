namespace AuditDashboard.Corrections;

public enum CorrectionKind
{
    /// <summary>Undo one deposit or withdrawal in full: <see cref="Accounts.TransactionReversed"/>.</summary>
    Reversal,

    /// <summary>Move the balance by a signed amount: <see cref="Accounts.BalanceCorrected"/>.</summary>
    Adjustment,
}
