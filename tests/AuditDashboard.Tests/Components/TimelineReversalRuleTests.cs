using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// An account whose first deposit another writer reversed with metadata that does not parse: the reversal still moved
/// the money, so the rules refuse to reverse that deposit again.
/// </summary>
public sealed class FlaggedReversalLedger : LedgerFixture
{
    public const string AccountId = "FR-0001";
    public static readonly Guid FirstDeposit = Guid.Parse("0b6f7f58-3d0c-4c47-9a55-7c1f2e9d4a11");

    protected override Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var reversal = Ledger.Encode(new TransactionReversed(FirstDeposit, 1, -100m, "EUR", DateTimeOffset.UnixEpoch), Ledger.By("legacy-system", "Reversed upstream"));
        return Ledger.AppendAsync(store, AccountId,
        [
            Ledger.Encode(new AccountOpened(AccountId, "Dana Novak", "EUR"), Ledger.By("teller:ana", "Customer onboarding")),
            AccountEventCodec.Encode(FirstDeposit, new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            Ledger.Encode(new FundsDeposited(40m, "EUR", "TRX-2"), Ledger.By("system:gateway", "Refund")),
            reversal with { Metadata = Encoding.UTF8.GetBytes("{not json") },
        ],
        cancellationToken);
    }
}

public sealed class TimelineReversalRuleTests(FlaggedReversalLedger ledger) : MudComponentTest, IClassFixture<FlaggedReversalLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task TheTimeline_OffersToReverse_ExactlyWhatTheRulesAccept_AlsoAfterAReversalWithUnreadableMetadata()
    {
        var snapshot = await LoadSnapshotAsync(ledger, FlaggedReversalLedger.AccountId, TestContext.Current.CancellationToken);

        var cut = Render<Timeline>(p => p
            .Add(t => t.Snapshot, snapshot)
            .Add(t => t.CanCorrect, true));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-revision]")));

        Assert.Equal(EntryWarning.MetadataUnreadable, snapshot[3].Warning);
        Assert.Equal(40m, snapshot.Current.Balance);
        var offered = cut.FindAll("[data-testid^='reverse-']").Select(b => b.GetAttribute("data-testid")).ToList();
        Assert.Equal(["reverse-2"], offered);
        Assert.Equal("Reversed by rev 3", cut.Find("[data-testid=corrected-mark]").TextContent.Trim());
        foreach (var entry in snapshot)
        {
            var request = new CorrectionRequest(CorrectionKind.Reversal, entry.Record.EventId, null, "Deposit recorded twice by the gateway", null);
            var accepted = CorrectionRules.Decide(request, snapshot, DateTimeOffset.UtcNow).IsValid;
            Assert.Equal(accepted, offered.Contains($"reverse-{entry.Revision}"));
        }
    }
}
