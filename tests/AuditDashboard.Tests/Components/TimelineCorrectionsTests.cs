using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

/// <summary>An account with a deposit recorded twice, reversed, and an adjustment about the withdrawal.</summary>
public sealed class CorrectionsLedger : LedgerFixture
{
    public const string AccountId = "CR-0001";
    public static readonly Guid Duplicate = Guid.Parse("7d1b2a4e-0c55-4f0e-8a51-2f4f8b7b0a02");
    public static readonly Guid Withdrawal = Guid.Parse("a3c9d7e1-6a2b-4d1c-9f0e-1b2c3d4e5f60");

    protected override Task SeedAsync(IEventStore store, CancellationToken cancellationToken) =>
        Ledger.AppendAsync(store, AccountId,
        [
            Ledger.Encode(new AccountOpened(AccountId, "Dana Novak", "EUR"), Ledger.By("teller:ana", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            AccountEventCodec.Encode(Duplicate, new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            AccountEventCodec.Encode(Withdrawal, new FundsWithdrawn(30m, "EUR", null), Ledger.By("system:atm", "ATM")),
            Ledger.Encode(new TransactionReversed(Duplicate, 2, -100m, "EUR", DateTimeOffset.UnixEpoch), Ledger.By("support:sam", "Deposit recorded twice by the gateway")),
            Ledger.Encode(new BalanceCorrected(-1.5m, "EUR", Withdrawal, DateTimeOffset.UnixEpoch), Ledger.By("support:sam", "ATM fee not recorded <b>x</b>")),
        ],
        cancellationToken);
}

public sealed class TimelineCorrectionsTests(CorrectionsLedger ledger) : MudComponentTest, IClassFixture<CorrectionsLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task CorrectionEvents_AreBadged_AndLinkedToWhatTheyCorrect_AndBack()
    {
        var timeline = await ledger.Timelines.GetAsync(CorrectionsLedger.AccountId, TestContext.Current.CancellationToken);
        var picked = new List<long>();

        var cut = Render<Timeline>(p => p
            .Add(t => t.Snapshot, timeline!.Snapshot)
            .Add(t => t.SelectedRevisionChanged, (long revision) => picked.Add(revision)));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-revision]")));

        Assert.Equal(2, cut.FindAll("[data-testid=correction-badge]").Count);
        var marks = cut.FindAll("[data-testid=corrected-mark]").Select(m => m.TextContent.Trim()).ToList();
        Assert.Equal(["Corrected by rev 5", "Reversed by rev 4"], marks);
        var links = cut.FindAll("[data-testid=corrects-link]").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["of rev 3", "of rev 2"], links);
        Assert.Equal(68.5m, timeline!.Snapshot.Current.Balance);

        await cut.FindAll("[data-testid=corrects-link]")[1].ClickAsync(new());

        Assert.Equal([2L], picked);
        // A reason is text, in its cell and in its tooltip: no element is made of it.
        Assert.Empty(cut.FindAll("b"));
        Assert.Contains(cut.FindAll("td[data-label='Reason']"), c => c.TextContent == "ATM fee not recorded <b>x</b>");
    }
}
