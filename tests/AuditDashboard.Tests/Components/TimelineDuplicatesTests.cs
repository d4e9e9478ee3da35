using AuditDashboard.Components.Pages.Accounts;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// A payment posted twice (same reference, amount and currency, within the window) is flagged on the later row as a
/// possible duplicate of the earlier one: it links to it, counts as flagged, and Support may reverse it in one click,
/// the reason written for them. On a long account read a page at a time, the page's first rows are compared with the
/// events before the page too.
/// </summary>
public sealed class TimelineDuplicatesTests(TimelineDuplicatesTests.Payments ledger) : MudComponentTest, IClassFixture<TimelineDuplicatesTests.Payments>
{
    [Fact(Timeout = 30_000)]
    public async Task ThePaymentPostedTwice_IsFlaggedOnItsLaterRow_AndLinksToTheEarlierOne()
    {
        var snapshot = await LoadSnapshotAsync(ledger, Payments.Salary, TestContext.Current.CancellationToken);
        var picked = new List<long>();

        var cut = Render<Timeline>(p => p
            .Add(t => t.Snapshot, snapshot)
            .Add(t => t.SelectedRevisionChanged, (long revision) => picked.Add(revision)));

        var chip = cut.Find("[data-testid='possible-duplicate']");
        Assert.Equal("Possible duplicate of rev 1", chip.TextContent.Trim());
        Assert.Equal("2", chip.Closest("tr")!.QuerySelector("[data-revision]")!.TextContent);
        Assert.Contains("flagged-row", chip.Closest("tr")!.ClassName, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("tr.flagged-row"));
        Assert.Empty(cut.FindAll("[data-testid^='reverse-duplicate-']")); // not offered without the Support role
        await chip.ClickAsync(new());
        Assert.Equal([1L], picked);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(Payments.Reposted)]
    [InlineData(Payments.Resolved)]
    public async Task APaymentReversedAndPostedAgain_OrADuplicateReversedAlready_IsNotFlagged(string accountId)
    {
        var snapshot = await LoadSnapshotAsync(ledger, accountId, TestContext.Current.CancellationToken);

        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot).Add(t => t.CanCorrect, true));

        Assert.Empty(cut.FindAll("[data-testid='possible-duplicate']"));
        Assert.Empty(cut.FindAll("[data-testid^='reverse-duplicate-']"));
        Assert.Empty(cut.FindAll("tr.flagged-row"));
        Assert.Single(cut.FindAll("[data-testid='corrected-mark']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task FlaggedOnly_ShowsThePossibleDuplicate()
    {
        var snapshot = await LoadSnapshotAsync(ledger, Payments.Salary, TestContext.Current.CancellationToken);
        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot));

        await cut.Find("input[data-testid='timeline-flagged-only'], [data-testid='timeline-flagged-only'] input").ChangeAsync(new ChangeEventArgs { Value = true });

        cut.WaitForAssertion(() => Assert.Equal(["2"], Column(cut, "Rev")));
        Assert.Equal("1 of 6 events", cut.Find("[data-testid='timeline-count']").TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task AWindowNarrowerThanTheirDistance_FlagsNothing()
    {
        var snapshot = await LoadSnapshotAsync(ledger, Payments.Salary, TestContext.Current.CancellationToken);
        var gap = snapshot[2].Recorded - snapshot[1].Recorded;
        Assert.True(gap > TimeSpan.FromSeconds(1.2), $"the fixture wrote the two postings {gap} apart");

        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot).Add(t => t.DuplicateWindow, TimeSpan.FromSeconds(1)));

        Assert.Empty(cut.FindAll("[data-testid='possible-duplicate']"));
        Assert.Empty(cut.FindAll("tr.flagged-row"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Support_ReversesTheDuplicateInOneClick_WithTheReasonWrittenForThem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        SignInAsSupport(ledger);
        UseAccountPage(ledger, windowAbove: 1_000);
        var cut = Render<Account>(p => p.Add(a => a.AccountId, Payments.ToReverse));
        var dialogs = Render<MudDialogProvider>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='reverse-duplicate-2']"))).WaitAsync(cancellationToken);
        Assert.Single(cut.FindAll("[data-testid^='reverse-duplicate-']"));

        // The click's handler waits for the dialog to close.
        _ = cut.Find("[data-testid='reverse-duplicate-2']").ClickAsync(new());
        await dialogs.WaitForAssertionAsync(() => Assert.Single(dialogs.FindAll("[data-testid=correction-preview]"))).WaitAsync(cancellationToken);
        Assert.Equal(
            "Duplicate of revision 1: the same payment (TRX-7) was posted twice.",
            dialogs.Find("[data-testid=correction-reason] textarea, textarea[data-testid=correction-reason]").GetAttribute("value")
                ?? dialogs.Find("[data-testid=correction-reason] textarea, textarea[data-testid=correction-reason]").TextContent);
        await dialogs.Find("[data-testid=correction-post]").ClickAsync(new());

        await dialogs.WaitForAssertionAsync(() => Assert.Empty(dialogs.FindAll("[data-testid=correction-reason]"))).WaitAsync(cancellationToken);
        var written = await ledger.Store.ReadStreamAsync(AccountIds.StreamOf(Payments.ToReverse), Direction.Backwards, StreamRevision.End, 1, cancellationToken).SingleAsync(cancellationToken);
        var reversal = Assert.IsType<TransactionReversed>(AccountEventCodec.Decode(written).Event);
        Assert.Equal((2L, -100m), (reversal.ReversedRevision, reversal.Amount));
        Assert.Equal("Duplicate of revision 1: the same payment (TRX-7) was posted twice.", AccountEventCodec.Decode(written).Metadata!.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheInspector_OffersSupportTheReversalOfTheMovementShown_AndNothingForAnOpening()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        SignInAsSupport(ledger);
        UseAccountPage(ledger, windowAbove: 1_000);
        var cut = Render<Account>(p => p.Add(a => a.AccountId, Payments.Salary));
        var dialogs = Render<MudDialogProvider>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='inspector-reverse']"))).WaitAsync(cancellationToken);
        Assert.Equal("Reverse revision 5", cut.Find("[data-testid='inspector-reverse']").TextContent.Trim());

        _ = cut.Find("[data-testid='inspector-reverse']").ClickAsync(new());
        await dialogs.WaitForAssertionAsync(() => Assert.Contains("Reverse revision 5", dialogs.Markup, StringComparison.Ordinal)).WaitAsync(cancellationToken);
        await cut.Find("[data-testid='replay-slider']").InputAsync("0");

        await cut.WaitForAssertionAsync(() => Assert.Contains("revision 0 of", cut.Find("[data-testid='replay-position']").TextContent, StringComparison.Ordinal)).WaitAsync(cancellationToken);
        Assert.Empty(cut.FindAll("[data-testid='inspector-reverse']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task OnALongAccount_ADuplicateOfAnEventOnTheEarlierPage_IsFlagged()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var timelines = UseAccountPage(ledger, windowAbove: 10);
        var cut = Render<Account>(p => p.Add(a => a.AccountId, Payments.Lengthy));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='timeline-window-note']"))).WaitAsync(cancellationToken);
        Assert.False(timelines.Holds(Payments.Lengthy), "the page read the account whole");

        // Newest first, the first page holds revisions 59 to 10; revision 10 repeats revision 9, on the next page.
        await cut.WaitForAssertionAsync(() => Assert.Single(cut.FindAll("[data-testid='possible-duplicate']"))).WaitAsync(cancellationToken);
        var chip = cut.Find("[data-testid='possible-duplicate']");
        Assert.Equal("Possible duplicate of rev 9", chip.TextContent.Trim());
        Assert.Equal("10", chip.Closest("tr")!.QuerySelector("[data-revision]")!.TextContent);
    }

    private static List<string> Column(IRenderedComponent<Timeline> cut, string label) =>
        cut.FindAll($"td[data-label='{label}']").Select(c => c.TextContent.Trim()).ToList();

    /// <summary>
    /// A short account whose salary (TRX-1) was posted twice, 1.5 s apart, among payments with other references,
    /// amounts or directions; one more whose payment TRX-7 was posted twice, for Support to reverse; and a long account
    /// of 60 events whose revision 10 repeats revision 9.
    /// </summary>
    public sealed class Payments : LedgerFixture
    {
        public const string Salary = "DUP-0001";
        public const string ToReverse = "DUP-0002";
        public const string Lengthy = "DUP-0003";
        public const string Reposted = "DUP-0004";
        public const string Resolved = "DUP-0005";

        protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
        {
            var gateway = Ledger.By("system:gateway", "Salary");
            await Ledger.AppendAsync(store, Salary,
                [Ledger.Encode(new AccountOpened(Salary, "Dana Novak", "EUR"), gateway), Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), gateway)], cancellationToken);
            await Task.Delay(1_500, cancellationToken);
            await Ledger.AppendAsync(store, Salary,
            [
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), gateway),
                Ledger.Encode(new FundsWithdrawn(100m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Refund")),
                Ledger.Encode(new FundsDeposited(100.5m, "EUR", "TRX-1"), gateway),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-2"), gateway),
            ], cancellationToken);

            await Ledger.AppendAsync(store, ToReverse,
            [
                Ledger.Encode(new AccountOpened(ToReverse, "Ilse Berg", "EUR"), gateway),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-7"), gateway),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-7"), gateway),
            ], cancellationToken);

            // TRX-5 was reversed as posted in error, then posted again: the second is no duplicate of the reversed one.
            var wrong = Guid.NewGuid();
            await Ledger.AppendAsync(store, Reposted,
            [
                Ledger.Encode(new AccountOpened(Reposted, "Nils Berg", "EUR"), gateway),
                AccountEventCodec.Encode(wrong, new FundsDeposited(100m, "EUR", "TRX-5"), gateway),
                Ledger.Encode(new TransactionReversed(wrong, 1, -100m, "EUR", DateTimeOffset.UnixEpoch), Ledger.By("support:sam", "Posted to the wrong account")),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-5"), gateway),
            ], cancellationToken);

            // TRX-6 was posted twice, and the duplicate reversed already.
            var twice = Guid.NewGuid();
            await Ledger.AppendAsync(store, Resolved,
            [
                Ledger.Encode(new AccountOpened(Resolved, "Pia Berg", "EUR"), gateway),
                Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-6"), gateway),
                AccountEventCodec.Encode(twice, new FundsDeposited(100m, "EUR", "TRX-6"), gateway),
                Ledger.Encode(new TransactionReversed(twice, 2, -100m, "EUR", DateTimeOffset.UnixEpoch), Ledger.By("support:sam", "Posted twice")),
            ], cancellationToken);

            var events = new List<EventData> { Ledger.Encode(new AccountOpened(Lengthy, "Long Owner", "EUR"), gateway) };
            events.AddRange(Enumerable.Range(1, 59).Select(r => Ledger.Encode(new FundsDeposited(1m, "EUR", $"TRX-L{(r == 10 ? 9 : r)}"), gateway)));
            await Ledger.AppendAsync(store, Lengthy, events, cancellationToken);
        }
    }
}
