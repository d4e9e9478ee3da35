namespace AuditDashboard.Tests.Components.Corrections;

/// <summary>
/// EUR accounts that each received one 50,000.00 EUR deposit twice (TRX-1, revisions 1 and 2): balance 100,000.00 EUR.
/// With a four-eyes threshold of 1,000 EUR, reversing the duplicate is a proposal. The <c>PC-</c> accounts get one
/// proposal by <see cref="Proposer"/>, written by the real correction service before the ledger feed runs, so the
/// feed fills the fixture's proposals read model; the <c>PD-</c> accounts get none. Tests that write use an account of
/// their own, so they do not depend on each other's order.
/// </summary>
public sealed class ProposalLedger : LedgerFixture
{
    public const string Proposer = "sam";
    public const string Approver = "sara";

    /// <summary>Only read: a pending reversal of revision 2 whose reason holds markup.</summary>
    public const string ListAccount = "PC-LIST";

    /// <summary>A pending reversal of revision 2 that a test approves.</summary>
    public const string ApproveAccount = "PC-APPROVE";

    /// <summary>A pending adjustment of -20,000.00 EUR that a test rejects.</summary>
    public const string RejectAccount = "PC-REJECT";

    /// <summary>A pending reversal of revision 2 that its proposer withdraws.</summary>
    public const string WithdrawAccount = "PC-WITHDRAW";

    /// <summary>A pending reversal of revision 2, after which the account was closed: it can no longer be approved.</summary>
    public const string ClosedAccount = "PC-CLOSED";

    /// <summary>No proposal: the correction dialog is only previewed on it.</summary>
    public const string DialogAccount = "PD-READ";

    /// <summary>No proposal: a test posts a reversal above the threshold through the dialog.</summary>
    public const string PostAccount = "PD-POST";

    /// <summary>No proposal: the timeline test proposes, approves, proposes and rejects on it.</summary>
    public const string TimelineAccount = "PD-TIMELINE";

    public const decimal Deposit = 50_000m;
    public const decimal Threshold = 1_000m;
    public const long FirstDepositRevision = 1;
    public const long DuplicateRevision = 2;

    /// <summary>The revision of each seeded proposal (the account's fourth event).</summary>
    public const long ProposalRevision = 3;

    public const decimal RejectedAdjustment = -20_000m;

    /// <summary>The list account's proposal reason: markup the page must show as text.</summary>
    public const string MarkupReason = "Duplicate <b>bold</b><script>x</script> deposit";

    public const string ProposalReason = "Deposit recorded twice by the payments gateway";

    private readonly Dictionary<string, Guid> _proposals = new(StringComparer.Ordinal);

    public static string[] ProposalAccounts { get; } = [ListAccount, ApproveAccount, RejectAccount, WithdrawAccount, ClosedAccount];

    public static string[] PlainAccounts { get; } = [DialogAccount, PostAccount, TimelineAccount];

    /// <summary>Four eyes above 1,000.00 EUR; other currencies never need approval.</summary>
    public static ApprovalThresholds Thresholds { get; } = new(new Dictionary<string, decimal> { ["EUR"] = Threshold }, null);

    /// <summary>The event id of the proposal seeded on <paramref name="accountId"/>.</summary>
    public Guid ProposalOf(string accountId) => _proposals[accountId];

    /// <summary>The event id of the deposit at <paramref name="revision"/> (1 or 2) of <paramref name="accountId"/>.</summary>
    public static Guid DepositOf(string accountId, long revision) => DeterministicId($"{accountId}/deposit/{revision}");

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        foreach (var account in ProposalAccounts.Concat(PlainAccounts))
        {
            await Ledger.AppendAsync(store, account,
            [
                Ledger.Encode(new AccountOpened(account, "Dana Novak", "EUR"), Ledger.By("teller:ana", "Customer onboarding")),
                AccountEventCodec.Encode(DepositOf(account, FirstDepositRevision), new FundsDeposited(Deposit, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
                AccountEventCodec.Encode(DepositOf(account, DuplicateRevision), new FundsDeposited(Deposit, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            ],
            cancellationToken);
        }

        // The proposals are written as the app writes them: by the correction service, over the real store.
        var corrections = new CorrectionService(store, new AccountTimelines(store), TimeProvider.System, Thresholds);
        foreach (var account in ProposalAccounts)
        {
            var request = account == RejectAccount
                ? new CorrectionRequest(CorrectionKind.Adjustment, null, RejectedAdjustment, ProposalReason, null)
                : new CorrectionRequest(CorrectionKind.Reversal, DepositOf(account, DuplicateRevision), null, account == ListAccount ? MarkupReason : ProposalReason, null);
            var id = Guid.NewGuid();
            var outcome = await corrections.PostAsync(
                new CorrectionCommand(account, request, DuplicateRevision, id, Proposer, id.ToString("N"), "audit-dashboard-tests"), cancellationToken);
            if (outcome is not CorrectionOutcome.Proposed { Revision: ProposalRevision })
                throw new InvalidOperationException($"Seeding {account}: expected a proposal at revision {ProposalRevision}, got {outcome}.");
            _proposals[account] = id;
        }

        await Ledger.AppendAsync(store, ClosedAccount,
            [Ledger.Encode(new AccountClosed(), Ledger.By("teller:bo", "Customer left the bank"))], cancellationToken);
    }

    private static Guid DeterministicId(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name), hash);
        return new Guid(hash[..16]);
    }
}
