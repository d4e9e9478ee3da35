namespace AuditDashboard.Tests.Components;

/// <summary>One account with 100,000 events: an opening and 99,999 deposits of 1.00 EUR, appended 1,000 at a time.</summary>
public sealed class LargeTimelineLedger : LedgerFixture
{
    public const string AccountId = "BIG-0001";
    public const int EventCount = 100_000;
    private const int BatchSize = 1_000;

    protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var metadata = Ledger.By("batch-job", "Volume test");
        // Every deposit stores the same bytes; only the event id differs, so the payload is encoded once.
        var deposit = Ledger.Encode(new FundsDeposited(1m, "EUR", null), metadata);
        var batch = new List<EventData>(BatchSize) { Ledger.Encode(new AccountOpened(AccountId, "Volume Owner", "EUR"), metadata) };
        for (var written = 0; written < EventCount; written += batch.Count, batch.Clear())
        {
            while (batch.Count < BatchSize && written + batch.Count < EventCount)
            {
                batch.Add(deposit with { EventId = Guid.NewGuid() });
            }

            await Ledger.AppendAsync(store, AccountId, batch, cancellationToken);
        }
    }
}
