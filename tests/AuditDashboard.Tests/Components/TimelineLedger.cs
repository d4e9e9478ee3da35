namespace AuditDashboard.Tests.Components;

/// <summary>
/// One account, <see cref="AccountId"/>, whose seven events cover every kind of row the timeline shows: readable
/// events by three actors, an event type the dashboard does not know, and an event whose JSON does not parse.
/// </summary>
public sealed class TimelineLedger : LedgerFixture
{
    public const string AccountId = "TL-0001";

    /// <summary>The wire name another writer used for the event at revision 3.</summary>
    public const string UnknownType = "LoyaltyPointsGranted";

    /// <summary>The revision of the deposit whose stored JSON is cut short.</summary>
    public const long UnreadableRevision = 4;

    public const long UnknownRevision = 3;

    protected override Task SeedAsync(IEventStore store, CancellationToken cancellationToken) =>
        Ledger.AppendAsync(store, AccountId,
        [
            Ledger.Encode(new AccountOpened(AccountId, "Alice Martin", "EUR"), Ledger.By("alice", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(100m, "EUR", "SAL-1"), Ledger.By("alice", "Salary")),
            Ledger.Encode(new FundsWithdrawn(30m, "EUR", "RENT-1"), Ledger.By("bob", "Rent")),
            Ledger.Raw(UnknownType, """{"points":500}""", Ledger.By("legacy-system", "Loyalty programme")),
            Ledger.Raw(AccountEventTypes.FundsDeposited, """{"amount": 999, "currency": "EUR" """, Ledger.By("carol", "Broken import")),
            Ledger.Encode(new FundsDeposited(50m, "EUR", "REF-1"), Ledger.By("bob", "Refund")),
            Ledger.Encode(new AccountFrozen(), Ledger.By("carol", "Suspicious activity")),
        ],
        cancellationToken);
}
