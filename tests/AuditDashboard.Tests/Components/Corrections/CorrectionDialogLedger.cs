namespace AuditDashboard.Tests.Components.Corrections;

/// <summary>
/// Accounts that each received one deposit twice (100 EUR, TRX-1), then a 30 EUR withdrawal: balance 170 EUR, the
/// duplicate at revision 2. Tests that write use an account of their own, so they do not depend on each other's order.
/// </summary>
public sealed class CorrectionDialogLedger : LedgerFixture
{
    /// <summary>Only read: validation and preview.</summary>
    public const string ReadOnlyAccount = "CD-0001";

    /// <summary>Receives one reversal.</summary>
    public const string PostAccount = "CD-0002";

    /// <summary>Receives another writer's deposit, then one reversal.</summary>
    public const string ConflictAccount = "CD-0003";

    /// <summary>An Operator tries to post on it; it must stay as seeded.</summary>
    public const string OperatorAccount = "CD-0004";

    public const long DuplicateRevision = 2;

    /// <summary>The duplicated deposit's metadata reason holds markup, shown by the dialog as text.</summary>
    public const string DuplicateReason = "Salary <b>retried</b> <script>window.pwned=1</script>";

    public static string[] Accounts { get; } = [ReadOnlyAccount, PostAccount, ConflictAccount, OperatorAccount];

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        foreach (var account in Accounts)
        {
            await Ledger.AppendAsync(store, account,
            [
                Ledger.Encode(new AccountOpened(account, "Dana Novak", "EUR"), Ledger.By("teller:ana", "Customer onboarding")),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", DuplicateReason)),
                Ledger.Encode(new FundsWithdrawn(30m, "EUR", null), Ledger.By("system:atm", "ATM")),
            ],
            cancellationToken);
        }
    }
}
