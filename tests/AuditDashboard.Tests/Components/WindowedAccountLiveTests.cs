using AuditDashboard.Components.Pages.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    /// <summary>
    /// As corrected, the long account is read a window at a time too: the correction recorded last takes effect after
    /// the tenth event, so every later position holds its 100.00 EUR, and a new event still reaches the page.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task AsCorrected_ALongAccount_MovesItsCorrectionWhereItTakesEffect_WithoutReadingItWhole()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = await OpenAsync(TwentyEvents.Corrected, cancellationToken, view: "corrected");
        Assert.Equal("119.00 EUR", Text(cut, "balance"));

        await cut.Find("[data-testid='replay-slider']").InputAsync("10");
        await cut.WaitForAssertionAsync(() => Assert.Equal("109.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        Assert.Contains("BalanceCorrected", Text(cut, "event-change"), StringComparison.Ordinal);
        await cut.Find("[data-testid='replay-slider']").InputAsync("9");
        await cut.WaitForAssertionAsync(() => Assert.Equal("9.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        await cut.Find("[data-testid='replay-slider']").InputAsync("11");
        await cut.WaitForAssertionAsync(() => Assert.Equal("110.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        Assert.Contains("rev 10", Text(cut, "event-change"), StringComparison.Ordinal);

        await cut.Find("[data-testid='replay-slider']").InputAsync("20");
        await cut.WaitForAssertionAsync(() => Assert.Equal("119.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        await AppendDepositAsync(TwentyEvents.Corrected, 5m, cancellationToken);
        await cut.WaitForAssertionAsync(() => Assert.Equal("124.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        Assert.Contains("rev 21", Text(cut, "event-change"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Support corrects a long account from its windowed page: the dialog previews the correction on a compact snapshot
    /// (both views' balances, no chart of the whole account), the service writes it, and the account is never read whole.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task AdjustingALongAccountsBalance_PreviewsAndPostsIt_WithoutReadingTheAccountWhole()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        SignInAsSupport(ledger);
        var cut = await OpenAsync(TwentyEvents.Corrects, cancellationToken);
        var dialogs = Render<MudDialogProvider>();

        // The click's handler waits for the dialog to close.
        _ = cut.Find("[data-testid='adjust-balance']").ClickAsync(new());
        await dialogs.WaitForAssertionAsync(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=correction-reason]"))).WaitAsync(cancellationToken);
        dialogs.Find("[data-testid=correction-amount]").Input("-2.50");
        dialogs.Find("[data-testid=correction-reason]").Input("Card fee charged twice by the acquirer");
        await dialogs.WaitForAssertionAsync(() => Assert.Single(dialogs.FindAll("[data-testid=correction-preview]"))).WaitAsync(cancellationToken);
        var rows = dialogs.FindAll("[data-testid=correction-preview] tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal([["As recorded", "19.00 EUR", "→", "16.50 EUR"], ["As corrected", "19.00 EUR", "→", "16.50 EUR"]], rows);
        Assert.Single(dialogs.FindAll("[data-testid=preview-no-chart]"));
        await dialogs.Find("[data-testid=correction-post]").ClickAsync(new());

        await dialogs.WaitForAssertionAsync(() => Assert.Empty(dialogs.FindAll("[data-testid=correction-reason]"))).WaitAsync(cancellationToken);
        var written = await ledger.Store.ReadStreamAsync(AccountIds.StreamOf(TwentyEvents.Corrects), Direction.Backwards, StreamRevision.End, 1, cancellationToken).SingleAsync(cancellationToken);
        Assert.Equal((20L, AccountEventTypes.BalanceCorrected), (written.Revision, written.EventType));
        Assert.Equal(-2.50m, Assert.IsType<BalanceCorrected>(AccountEventCodec.Decode(written).Event).Amount);
        Assert.False(Services.GetRequiredService<AccountTimelines>().Holds(TwentyEvents.Corrects), "the long account was read whole for its correction");
    }

    /// <summary>
    /// A long account's timeline, read a page at a time, still knows what reversed what (from the events commands wrote,
    /// kept by the read models): a reversed deposit says so and offers no second reversal; the others offer one to Support.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task ALongAccountsRows_SayWhatReversedThem_AndOfferSupportToReverseTheOthers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        AddAuthorization().SetAuthorized("sam").SetRoles(Roles.Support);
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(Policies.AddTo);
        var cut = await OpenAsync(TwentyEvents.Reversed, cancellationToken);

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='reverse-5']"))).WaitAsync(cancellationToken);
        Assert.Empty(cut.FindAll("[data-testid='reverse-3']"));
        Assert.Empty(cut.FindAll("[data-testid='reverse-20']"));
        Assert.Equal("Reversed by rev 20", cut.Find("[data-testid='corrected-mark']").TextContent.Trim());
        Assert.Equal(18, cut.FindAll("[data-testid^='reverse-']").Count);
    }

    private async Task<IRenderedComponent<Account>> OpenAsync(string accountId, CancellationToken cancellationToken, string? view = null)
    {
        var timelines = UseAccountPage(ledger, windowAbove: 10);
        if (view is not null)
            Services.GetRequiredService<NavigationManager>().NavigateTo($"/accounts/{accountId}?view={view}");
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

    /// <summary>
    /// Two accounts of 20 events each: an opening and 19 deposits of 1.00 EUR; and one more written in two goes (an
    /// opening and 9 deposits, later 10 deposits), then corrected by 100.00 EUR taking effect when the first go was recorded.
    /// </summary>
    public sealed class TwentyEvents : LedgerFixture
    {
        public const string Live = "LIVE-0001";
        public const string Earlier = "LIVE-0002";
        public const string Corrected = "LIVE-0003";
        public const string Corrects = "LIVE-0004";
        public const string Reversed = "LIVE-0005";

        protected override async Task SeedAsync(IEventStore store, CancellationToken cancellationToken)
        {
            foreach (var account in new[] { Live, Earlier, Corrects, Reversed })
            {
                var metadata = Ledger.By("teller", "Opening deposits");
                var events = new List<EventData> { Ledger.Encode(new AccountOpened(account, "Live Owner", "EUR"), metadata) };
                events.AddRange(Enumerable.Range(0, 19).Select(_ => Ledger.Encode(new FundsDeposited(1m, "EUR", null), metadata)));
                await Ledger.AppendAsync(store, account, events, cancellationToken);
            }

            var third = await store.ReadStreamAsync(AccountIds.StreamOf(Reversed), Direction.Forwards, 3, 1, cancellationToken).SingleAsync(cancellationToken);
            await Ledger.AppendAsync(
                store, Reversed, [Ledger.Encode(new TransactionReversed(third.EventId, 3, -1m, "EUR", third.Created), Ledger.By("support:sam", "Deposit booked twice"))], cancellationToken);

            var by = Ledger.By("teller", "Deposits");
            await Ledger.AppendAsync(store, Corrected, [Ledger.Encode(new AccountOpened(Corrected, "Live Owner", "EUR"), by), .. Deposits(9)], cancellationToken);
            var firstGo = (await store.ReadStreamAsync(AccountIds.StreamOf(Corrected), Direction.Backwards, 9, 1, cancellationToken).SingleAsync(cancellationToken)).Created;
            await Task.Delay(20, cancellationToken);
            await Ledger.AppendAsync(store, Corrected, Deposits(10), cancellationToken);
            await Ledger.AppendAsync(store, Corrected, [Ledger.Encode(new BalanceCorrected(100m, "EUR", null, firstGo), Ledger.By("support:sam", "Missed transfer"))], cancellationToken);

            EventData[] Deposits(int count) => [.. Enumerable.Range(0, count).Select(_ => Ledger.Encode(new FundsDeposited(1m, "EUR", null), by))];
        }
    }
}
