namespace AuditDashboard.Tests.Components.Search;

/// <summary>
/// Three accounts whose events have telling actors: sam withdrew from <c>ACC-S1</c> twice (revisions 2 and 3), carla
/// froze <c>ACC-S2</c> with a reason that is markup (revision 2); everything else is olivia's.
/// </summary>
public sealed class SearchLedger : LedgerFixture
{
    public const string MarkupReason = "<b>Card</b> stolen <script>alert(1)</script>";

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await Ledger.OpenAsync(store, "ACC-S1", "Alice Martin", "EUR", 500m, cancellationToken);
        await Ledger.AppendAsync(store, "ACC-S1",
        [
            Ledger.Encode(new FundsWithdrawn(40m, "EUR", "ATM-1"), Ledger.By("sam", "Cash withdrawal")),
            Ledger.Encode(new FundsWithdrawn(60m, "EUR", "ATM-2"), Ledger.By("sam", "Cash withdrawal")),
        ],
        cancellationToken);

        await Ledger.OpenAsync(store, "ACC-S2", "Bruno Keller", "CHF", 100m, cancellationToken);
        await Ledger.AppendAsync(store, "ACC-S2", [Ledger.Encode(new AccountFrozen(), Ledger.By("carla", MarkupReason))], cancellationToken);

        await Ledger.OpenAsync(store, "ACC-S3", "Chloé Dubois", "GBP", 0m, cancellationToken);
    }
}
