namespace AuditDashboard.Tests.Components;

/// <summary>
/// Thirty accounts: a few with telling balances and statuses, one whose owner name is markup, and
/// <c>ACC-0005</c>…<c>ACC-0030</c> owned by "Client 05"…"Client 30" with 10.00 EUR per number.
/// </summary>
public sealed class AccountsLedger : LedgerFixture
{
    public const int AccountCount = 30;

    public const string MarkupOwner = "<b>x</b><script>alert(1)</script>";

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await Ledger.OpenAsync(store, "ACC-0001", "Alice Martin", "EUR", 1234.50m, cancellationToken);

        await Ledger.OpenAsync(store, "ACC-0002", "Bruno Keller", "CHF", 100m, cancellationToken);
        await Ledger.AppendAsync(store, "ACC-0002",
        [
            Ledger.Encode(new FundsWithdrawn(40m, "CHF", "ATM-7"), Ledger.By("sam", "Cash withdrawal")),
            Ledger.Encode(new AccountFrozen(), Ledger.By("carla", "Card reported stolen")),
        ],
        cancellationToken);

        await Ledger.OpenAsync(store, "ACC-0003", MarkupOwner, "EUR", 5m, cancellationToken);

        await Ledger.OpenAsync(store, "ACC-0004", "Chloé Dubois", "JPY", 5000m, cancellationToken);
        await Ledger.AppendAsync(store, "ACC-0004", [Ledger.Encode(new AccountClosed(), Ledger.By("olivia", "Customer left"))], cancellationToken);

        for (var n = 5; n <= AccountCount; n++)
        {
            await Ledger.OpenAsync(store, $"ACC-{n:0000}", $"Client {n:00}", "EUR", n * 10m, cancellationToken);
        }
    }
}
