using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// An account shown a window at a time (longer than <see cref="TimelineCacheOptions.WindowAbove"/>, here 10 events)
/// stays live: an event the directory applies reaches the open page, which follows it when it shows the latest
/// position and stays put when it shows an earlier one.
/// </summary>
public sealed class WindowedAccountLiveTests(WindowedAccountLiveTests.TwentyEvents ledger) : MudComponentTest, IClassFixture<WindowedAccountLiveTests.TwentyEvents>
{
    [Fact(Timeout = 30_000)]
    public async Task ANewEvent_ReachesThePage_WhichFollowsItFromTheLatestPosition()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = await OpenAsync(TwentyEvents.Live, cancellationToken);
        Assert.Equal("revision 19 of 19", Text(cut, "replay-position"));

        await AppendDepositAsync(TwentyEvents.Live, 5m, cancellationToken);

        await cut.WaitForAssertionAsync(() => Assert.Equal("revision 20 of 20", Text(cut, "replay-position"))).WaitAsync(cancellationToken);
        Assert.Equal("24.00 EUR", Text(cut, "balance"));
        await cut.WaitForAssertionAsync(() => Assert.Equal("20", cut.Find("tbody tr td[data-label='Rev']").TextContent.Trim())).WaitAsync(cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ANewEvent_LengthensTheReplay_ButAnEarlierPositionStaysShown()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = await OpenAsync(TwentyEvents.Earlier, cancellationToken);
        await cut.Find("[data-testid='replay-slider']").InputAsync("4");
        await cut.WaitForAssertionAsync(() => Assert.Equal("4.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);

        await AppendDepositAsync(TwentyEvents.Earlier, 5m, cancellationToken);

        await cut.WaitForAssertionAsync(() => Assert.Equal("revision 4 of 20", Text(cut, "replay-position"))).WaitAsync(cancellationToken);
        Assert.Equal("4.00 EUR", Text(cut, "balance"));
    }

    private async Task<IRenderedComponent<Account>> OpenAsync(string accountId, CancellationToken cancellationToken)
    {
        var timelines = UseAccountPage(ledger, windowAbove: 10);
        var cut = Render<Account>(p => p.Add(a => a.AccountId, accountId));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='timeline-window-note']"))).WaitAsync(cancellationToken);
        Assert.False(timelines.Holds(accountId), "the page read the account whole");
        return cut;
    }

    // Appends as another writer would, then lets the directory apply it, as its projection does when it follows the store.
    private async Task AppendDepositAsync(string accountId, decimal amount, CancellationToken cancellationToken)
    {
        var written = await Ledger.AppendAsync(ledger.Store, accountId, [Ledger.Encode(new FundsDeposited(amount, "EUR", null), Ledger.By("teller", "Counter deposit"))], cancellationToken);
        var record = await ledger.Store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, written.NextExpectedRevision, 1, cancellationToken).SingleAsync(cancellationToken);
        await ledger.Directory.ApplyAsync([record], cancellationToken);
    }

    private static string Text(IRenderedComponent<Account> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid='{testId}']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Two accounts of 20 events each: an opening and 19 deposits of 1.00 EUR.</summary>
    public sealed class TwentyEvents : LedgerFixture
    {
        public const string Live = "LIVE-0001";
        public const string Earlier = "LIVE-0002";

        protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
        {
            foreach (var account in new[] { Live, Earlier })
            {
                var metadata = Ledger.By("teller", "Opening deposits");
                var events = new List<EventData> { Ledger.Encode(new AccountOpened(account, "Live Owner", "EUR"), metadata) };
                events.AddRange(Enumerable.Range(0, 19).Select(_ => Ledger.Encode(new FundsDeposited(1m, "EUR", null), metadata)));
                await Ledger.AppendAsync(store, account, events, cancellationToken);
            }
        }
    }
}
