namespace AuditDashboard.Tests.Components;

/// <summary>
/// Two accounts with corrections in two currencies and a four-eyes round, all recorded now (the store's commit time):
/// <list type="bullet">
/// <item>R-EUR: sam reverses a 100.00 EUR deposit (−100.00 EUR) and adjusts by +20.00 EUR; sam proposes an adjustment
/// that sara rejects.</item>
/// <item>R-USD: sara adjusts by +50.00 USD, with a reason holding markup.</item>
/// </list>
/// </summary>
public sealed class ReportLedger : LedgerFixture
{
    public const string MarkupActor = "<b>sara</b>";

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var deposit = Guid.NewGuid();
        var proposal = Guid.NewGuid();
        var correlation = Guid.NewGuid().ToString("N");
        await Ledger.AppendAsync(store, "R-EUR",
        [
            Ledger.Encode(new AccountOpened("R-EUR", "Dana Novak", "EUR"), Ledger.By("olivia", "Onboarding")),
            AccountEventCodec.Encode(deposit, new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            Ledger.Encode(new TransactionReversed(deposit, 1, -100m, "EUR", now), Ledger.By("sam", "Deposit bounced")),
            Ledger.Encode(new BalanceCorrected(20m, "EUR", null, now), Ledger.By("sam", "Fee refund")),
            AccountEventCodec.Encode(proposal, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 5_000m, "EUR", now),
                new EventMetadata("sam", "Goodwill", correlation, null, "audit-dashboard-tests")),
            Ledger.Encode(new CorrectionRejected(proposal, 4),
                new EventMetadata("sara", "No ground for it", correlation, proposal.ToString(), "audit-dashboard-tests")),
        ],
        cancellationToken);
        await Ledger.AppendAsync(store, "R-USD",
        [
            Ledger.Encode(new AccountOpened("R-USD", "Ari Levin", "USD"), Ledger.By("olivia", "Onboarding")),
            Ledger.Encode(new BalanceCorrected(50m, "USD", null, now), Ledger.By(MarkupActor, "Interest <script>x</script>")),
        ],
        cancellationToken);
    }
}
