using AuditDashboard.Components.Pages.Accounts.Replay;
using AuditDashboard.Core.Replay;
using AuditDashboard.Tests.Components.Replay;

namespace AuditDashboard.Tests.Components;

/// <summary>Comparing two positions of <see cref="ReplayLedger"/>'s account (revisions 0–14), seen by a viewer in Paris.</summary>
public sealed class CompareCardTests(ReplayLedger ledger) : MudComponentTest, IClassFixture<ReplayLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task ByDefault_ComparesTheLastTenEvents()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        Assert.Equal("4", From(cut).GetAttribute("value"));
        Assert.Equal("14", To(cut).GetAttribute("value"));
        Assert.Equal("rev 4 → rev 14: 10 events between.", Summary(cut));
        Assert.Equal(["5", "6", "7", "8", "9", "10", "11", "12", "13", "14"], ListedRevisions(cut));
        Assert.Equal([("Balance", "320.00 EUR", "338.00 EUR")], Changes(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoRevisions_ShowTheBalanceBeforeAndAfter_AndExactlyTheEventsBetween()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        await From(cut).ChangeAsync("1");
        await To(cut).ChangeAsync("3");

        Assert.Equal("rev 1 → rev 3: 2 events between.", Summary(cut));
        Assert.Equal([("Balance", ReplayLedger.BalanceAfter(1), ReplayLedger.BalanceAfter(3))], Changes(cut));
        Assert.Equal(["2", "3"], ListedRevisions(cut));
        Assert.Equal(["FundsWithdrawn", "FundsDeposited"], EventColumn(cut, 2));
        Assert.Equal(["-30.00 EUR", "50.00 EUR"], EventColumn(cut, 3));
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoRevisionsAcrossAFreeze_ShowTheStatusChange()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        await From(cut).ChangeAsync("0");
        await To(cut).ChangeAsync("6");

        Assert.Equal(
            [("Status", "Open", "Frozen"), ("Balance", "0.00 EUR", "300.00 EUR")],
            Changes(cut));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], ListedRevisions(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameRevisionTwice_SaysNothingDiffers_AndListsNoEvent()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        await From(cut).ChangeAsync("7");
        await To(cut).ChangeAsync("7");

        Assert.Equal("rev 7 → rev 7: 0 events between.", Summary(cut));
        Assert.Contains("No field of the account differs.", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='compare-events']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task MomentsInTheViewersZone_WorkAsEndpoints()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        // 13:30 in Paris (12:30 UTC) is after revision 1; 08:00 UTC is exactly revision 5.
        await From(cut).ChangeAsync("2026-03-28 13:30");
        await To(cut).ChangeAsync("2026-04-05T08:00:00Z");

        Assert.Equal("rev 1 → rev 5: 4 events between.", Summary(cut));
        Assert.Equal(["2", "3", "4", "5"], ListedRevisions(cut));
        Assert.Equal([("Balance", ReplayLedger.BalanceAfter(1), ReplayLedger.BalanceAfter(5))], Changes(cut));
        Assert.Null(Error(cut, "compare-from"));
        Assert.Null(Error(cut, "compare-to"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AMomentBeforeTheFirstEvent_ComparesWithTheAccountBeforeItExisted()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        await From(cut).ChangeAsync("2026-03-01 00:00");
        await To(cut).ChangeAsync("1");

        Assert.Equal("before the account existed → rev 1: 2 events between.", Summary(cut));
        Assert.Equal(["0", "1"], ListedRevisions(cut));
        Assert.Contains(("Status", "Not opened", "Open"), Changes(cut));
        Assert.Contains(("Owner", "—", "Alice Martin"), Changes(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheEventsBetween_ShowTheirRecordedTimeInTheViewersZone()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);

        await From(cut).ChangeAsync("1");
        await To(cut).ChangeAsync("3");

        Assert.Contains("Recorded (Europe/Paris)", cut.Find("[data-testid='compare-events'] thead").TextContent, StringComparison.Ordinal);
        // Revision 2 at 00:30 UTC is 01:30 in winter time; revision 3 at 01:30 UTC is 03:30 in summer time.
        Assert.Equal(["2026-03-29 01:30:00", "2026-03-29 03:30:00"], EventColumn(cut, 1));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("compare-to", "99", "Revisions go from 0 to 14.")]
    [InlineData("compare-to", "99999999999999999999", "Revisions go from 0 to 14.")]
    [InlineData("compare-from", "-5", "Revisions go from 0 to 14.")]
    [InlineData("compare-to", "+99", "Revisions go from 0 to 14.")]
    [InlineData("compare-from", "yesterday", "“yesterday” is not a date and time")]
    [InlineData("compare-from", "2026-03-29 02:30", "does not exist in Europe/Paris")]
    [InlineData("compare-to", "2026-10-25 02:30", "happened twice in Europe/Paris")]
    public async Task ABadEndpoint_ShowsWhyUnderItsField_AndKeepsThePreviousComparison(string field, string text, string message)
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);
        await From(cut).ChangeAsync("1");
        await To(cut).ChangeAsync("3");

        await Field(cut, field).ChangeAsync(text);

        Assert.Contains(message, Error(cut, field) ?? "(no message)", StringComparison.Ordinal);
        Assert.Contains("The last valid comparison", cut.Find("[data-testid='compare-stale']").TextContent, StringComparison.Ordinal);
        Assert.Equal("rev 1 → rev 3: 2 events between.", Summary(cut));
        Assert.Equal(["2", "3"], ListedRevisions(cut));
        Assert.Equal([("Balance", ReplayLedger.BalanceAfter(1), ReplayLedger.BalanceAfter(3))], Changes(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoBadEndpoints_CompareNothing_AndSayWhyUnderEach()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);
        await From(cut).ChangeAsync("1");
        await To(cut).ChangeAsync("3");

        await From(cut).ChangeAsync("-5");
        await To(cut).ChangeAsync("yesterday");

        Assert.Equal("Revisions go from 0 to 14.", Error(cut, "compare-from"));
        Assert.Contains("is not a date and time", Error(cut, "compare-to") ?? "(no message)", StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='compare-summary']"));
        Assert.Empty(cut.FindAll("[data-testid='compare-changes']"));
        Assert.Empty(cut.FindAll("[data-testid='compare-events']"));

        await From(cut).ChangeAsync("2");
        await To(cut).ChangeAsync("4");
        Assert.Equal("rev 2 → rev 4: 2 events between.", Summary(cut));
        Assert.Empty(cut.FindAll("[data-testid='compare-stale']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task CorrectingABadEndpoint_ClearsItsMessage_AndCompares()
    {
        var cut = await RenderCardAsync(TestContext.Current.CancellationToken);
        await To(cut).ChangeAsync("99");
        Assert.NotNull(Error(cut, "compare-to"));

        await To(cut).ChangeAsync("8");

        Assert.Null(Error(cut, "compare-to"));
        Assert.Equal("rev 4 → rev 8: 4 events between.", Summary(cut));
    }

    private async Task<IRenderedComponent<CompareCard>> RenderCardAsync(CancellationToken cancellationToken)
    {
        var replay = await ledger.RecordedReplayAsync(cancellationToken);
        return Render<CompareCard>(p => p.Add(c => c.Replay, replay));
    }

    private static IElement From(IRenderedComponent<CompareCard> cut) => Field(cut, "compare-from");

    private static IElement To(IRenderedComponent<CompareCard> cut) => Field(cut, "compare-to");

    private static IElement Field(IRenderedComponent<CompareCard> cut, string testId) => cut.Find($"input[data-testid='{testId}']");

    private static string Summary(IRenderedComponent<CompareCard> cut) =>
        string.Join(' ', cut.Find("[data-testid='compare-summary']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static List<(string Field, string Before, string After)> Changes(IRenderedComponent<CompareCard> cut) =>
        cut.FindAll("[data-testid='compare-changes'] tbody tr")
            .Select(row => (
                row.QuerySelector("th")!.TextContent.Trim(),
                row.QuerySelectorAll("td")[0].TextContent.Trim(),
                row.QuerySelectorAll("td")[2].TextContent.Trim()))
            .ToList();

    private static List<string> ListedRevisions(IRenderedComponent<CompareCard> cut) => EventColumn(cut, 0);

    private static List<string> EventColumn(IRenderedComponent<CompareCard> cut, int column) =>
        cut.FindAll("[data-testid='compare-events'] tbody tr").Select(row => row.QuerySelectorAll("td")[column].TextContent.Trim()).ToList();

    /// <summary>The message under a field, or null when it shows none.</summary>
    private static string? Error(IRenderedComponent<CompareCard> cut, string testId) =>
        Field(cut, testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
}
