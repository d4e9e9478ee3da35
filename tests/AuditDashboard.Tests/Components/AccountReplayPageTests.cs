using AuditDashboard.Components.Pages.Accounts;
using AuditDashboard.Tests.Components.Replay;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The account page over <see cref="ReplayLedger"/>'s account, rendered directly with its address set on bUnit's
/// navigation manager, which supplies <c>?revision=k</c> as the router would. Its [Authorize] attribute is the
/// router's business (covered by the endpoint tests); its only JS call, scrolling the timeline, meets loose interop.
/// </summary>
public sealed class AccountReplayPageTests : MudComponentTest, IClassFixture<ReplayLedger>
{
    private const string AccountId = ReplayLedger.AccountId;

    public AccountReplayPageTests(ReplayLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ledger.AddTo(Services);

        // The page runs as an interactive server component; only then does it write the position into the address.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithARevisionInTheUrl_ShowsTheStateAfterThatRevision_AndWhatItsEventChanged()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        Assert.Equal("120.00 EUR", Text(cut, "balance"));
        Assert.Equal("3", Text(cut, "revision"));
        Assert.Equal("Open", Text(cut, "status"));
        // Revision 3 was recorded at 01:30 UTC on the night the clocks went forward: 03:30 in Paris.
        Assert.Equal("State after revision 3 · 2026-03-29 03:30:00", Text(cut, "state-caption"));
        Assert.Equal("revision 3 of 14", Text(cut, "replay-position"));
        Assert.Equal("3", cut.Find("[data-testid='replay-slider']").GetAttribute("value"));
        var change = cut.Find("[data-testid='event-change']");
        Assert.Contains("FundsDeposited", change.TextContent, StringComparison.Ordinal);
        Assert.Contains("rev 3 · 2026-03-29 03:30:00", change.TextContent, StringComparison.Ordinal);
        Assert.Equal([("Balance", "70.00 EUR", "120.00 EUR")], Changes(cut));
        Assert.Empty(cut.FindAll("[data-testid='revision-error']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithARevisionInTheUrl_HighlightsThatEventInTheTimeline()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.WaitForAssertionAsync(() => Assert.Equal(["3"], SelectedRows(cut))).WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AtTheRevisionThatFroze_ShowsTheStatusChange()
    {
        var cut = await RenderPageAsync("?revision=6", TestContext.Current.CancellationToken);

        Assert.Equal("Frozen", Text(cut, "status"));
        Assert.Equal("300.00 EUR", Text(cut, "balance"));
        Assert.Equal([("Status", "Open", "Frozen")], Changes(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithoutARevision_ShowsTheLatestState()
    {
        var cut = await RenderPageAsync("", TestContext.Current.CancellationToken);

        Assert.Equal(ReplayLedger.BalanceAfter(ReplayLedger.LastRevision), Text(cut, "balance"));
        Assert.Equal("Latest state · after revision 14", Text(cut, "state-caption"));
        Assert.Equal("revision 14 of 14", Text(cut, "replay-position"));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("abc", "“abc” is not a revision: use a whole number from 0 to 14 (or -1: before the account existed). Showing revision 14.")]
    [InlineData("-2", "“-2” is not a revision: use a whole number from 0 to 14 (or -1: before the account existed). Showing revision 14.")]
    [InlineData("3.5", "“3.5” is not a revision: use a whole number from 0 to 14 (or -1: before the account existed). Showing revision 14.")]
    [InlineData("99999", "Revision 99999 is out of range: this account has revisions 0 to 14. Showing revision 14.")]
    [InlineData("99999999999999999999", "“99999999999999999999” is not a revision: use a whole number from 0 to 14 (or -1: before the account existed). Showing revision 14.")]
    public async Task WithABadRevisionInTheUrl_SaysSo_AndShowsTheLatestState(string revision, string message)
    {
        var cut = await RenderPageAsync("?revision=" + Uri.EscapeDataString(revision), TestContext.Current.CancellationToken);

        Assert.Equal(message, Text(cut, "revision-error"));
        Assert.Equal(ReplayLedger.BalanceAfter(ReplayLedger.LastRevision), Text(cut, "balance"));
        Assert.Equal("Latest state · after revision 14", Text(cut, "state-caption"));
        Assert.Equal("revision 14 of 14", Text(cut, "replay-position"));
    }

    [Fact(Timeout = 30_000)]
    public async Task MovingTheSlider_UpdatesTheStateCard_WhatChanged_AndThenTheUrl()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.Find("[data-testid='replay-slider']").InputAsync("6");

        Assert.Equal("300.00 EUR", Text(cut, "balance"));
        Assert.Equal("Frozen", Text(cut, "status"));
        Assert.Equal("6", Text(cut, "revision"));
        Assert.Equal("State after revision 6 · 2026-04-10 10:00:00", Text(cut, "state-caption"));
        Assert.Equal([("Status", "Open", "Frozen")], Changes(cut));

        // A screen reader announces the position in words, not the slider's index.
        var slider = cut.Find("[data-testid='replay-slider']");
        Assert.Equal("range", slider.GetAttribute("type"));
        Assert.Equal("revision 6, 2026-04-10 10:00:00, balance 300.00 EUR", slider.GetAttribute("aria-valuetext"));
        await cut.WaitForAssertionAsync(() => Assert.Equal(["6"], SelectedRows(cut))).WaitAsync(TestContext.Current.CancellationToken);
        // The address follows once the slider has settled.
        var navigation = Services.GetRequiredService<NavigationManager>();
        await cut.WaitForAssertionAsync(() => Assert.EndsWith($"/accounts/{AccountId}?revision=6", navigation.Uri, StringComparison.Ordinal))
            .WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("300.00 EUR", Text(cut, "balance"));
    }

    [Fact(Timeout = 30_000)]
    public async Task MovingTheSlider_AfterABadRevision_RemovesTheMessage()
    {
        var cut = await RenderPageAsync("?revision=abc", TestContext.Current.CancellationToken);

        await cut.Find("[data-testid='replay-slider']").InputAsync("1");

        Assert.Empty(cut.FindAll("[data-testid='revision-error']"));
        Assert.Equal("100.00 EUR", Text(cut, "balance"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SteppingBack_ShowsThePreviousState()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.Find("button[aria-label='Step back']").ClickAsync(new());

        Assert.Equal("70.00 EUR", Text(cut, "balance"));
        Assert.Equal("revision 2 of 14", Text(cut, "replay-position"));
        Assert.Equal([("Balance", "100.00 EUR", "70.00 EUR")], Changes(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAsOfMoment_ShowsTheStateAtThatMoment()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.Find("input#as-of").ChangeAsync("2026-04-11 12:00");

        Assert.Equal("Frozen", Text(cut, "status"));
        Assert.Equal("State after revision 6 · 2026-04-10 10:00:00", Text(cut, "state-caption"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAsOfMomentBeforeTheFirstEvent_ShowsTheAccountBeforeItExisted_AndTheUrlSaysSo()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.Find("input#as-of").ChangeAsync("2026-03-01 12:00");

        Assert.Equal("Before the account existed", Text(cut, "state-caption"));
        Assert.Equal("before the account existed", Text(cut, "replay-position"));
        Assert.Equal("Before the account existed: no event yet.", Text(cut, "before-existence"));
        Assert.Equal("0.00", Text(cut, "balance"));
        var navigation = Services.GetRequiredService<NavigationManager>();
        await cut.WaitForAssertionAsync(() => Assert.EndsWith($"/accounts/{AccountId}?revision=-1", navigation.Uri, StringComparison.Ordinal))
            .WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Before the account existed", Text(cut, "state-caption"));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithRevisionMinusOneInTheUrl_ShowsTheAccountBeforeItExisted()
    {
        var cut = await RenderPageAsync("?revision=-1", TestContext.Current.CancellationToken);

        Assert.Equal("Before the account existed", Text(cut, "state-caption"));
        Assert.Equal("before the account existed", Text(cut, "replay-position"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ABadAsOfMoment_KeepsTheStateShown()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.Find("input#as-of").ChangeAsync("2026-03-29 02:30");

        Assert.Contains("does not exist in Europe/Paris", cut.Find(".as-of-field").TextContent, StringComparison.Ordinal);
        Assert.Equal("120.00 EUR", Text(cut, "balance"));
        Assert.Equal("revision 3 of 14", Text(cut, "replay-position"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ANewRevisionInTheUrl_MovesTheReplayThere()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"accounts/{AccountId}?revision=8");

        await cut.WaitForAssertionAsync(() => Assert.Equal("revision 8 of 14", Text(cut, "replay-position"))).WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("310.00 EUR", Text(cut, "balance"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SwitchingToAsCorrected_KeepsTheRevisionAndState_WhileNoEventIsCorrected()
    {
        var cut = await RenderPageAsync("?revision=3", TestContext.Current.CancellationToken);

        await cut.FindAll(".mud-toggle-item").Single(b => b.TextContent.Trim() == "As corrected").ClickAsync(new());

        Assert.Equal("true", cut.FindAll(".mud-toggle-item").Single(b => b.TextContent.Trim() == "As corrected").GetAttribute("aria-checked"));

        // One view of two: a radio group to a screen reader, not two checkboxes.
        var views = cut.FindAll("[role=radiogroup][aria-label='Time view'] [role=radio]");
        Assert.Equal([("As recorded", "false"), ("As corrected", "true")], views.Select(v => (v.TextContent.Trim(), v.GetAttribute("aria-checked"))));
        Assert.Equal("120.00 EUR", Text(cut, "balance"));
        Assert.Equal("State after revision 3 · 2026-03-29 03:30:00", Text(cut, "state-caption"));
        Assert.Equal("revision 3 of 14", Text(cut, "replay-position"));
    }

    private async Task<IRenderedComponent<Account>> RenderPageAsync(string query, CancellationToken cancellationToken)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"accounts/{AccountId}{query}");
        var cut = Render<Account>(p => p.Add(a => a.AccountId, AccountId));

        // The page reads the account's history before it shows the replay.
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='state-card']"))).WaitAsync(cancellationToken);
        return cut;
    }

    private static string Text(IRenderedComponent<Account> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid='{testId}']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The "what this event changed" rows: field, before, after.</summary>
    private static List<(string Field, string Before, string After)> Changes(IRenderedComponent<Account> cut) =>
        cut.FindAll("[data-testid='event-change'] tbody tr")
            .Select(row => (
                row.QuerySelector("th")!.TextContent.Trim(),
                row.QuerySelectorAll("td")[0].TextContent.Trim(),
                row.QuerySelectorAll("td")[2].TextContent.Trim()))
            .ToList();

    private static List<string> SelectedRows(IRenderedComponent<Account> cut) =>
        cut.FindAll("[data-testid='timeline'] tr.selected-row")
            .Select(row => row.QuerySelector("[data-revision]")?.GetAttribute("data-revision") ?? "?")
            .ToList();
}
