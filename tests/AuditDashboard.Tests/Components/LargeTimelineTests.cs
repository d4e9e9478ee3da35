using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

public sealed class LargeTimelineTests(LargeTimelineLedger ledger) : MudComponentTest, IClassFixture<LargeTimelineLedger>
{
    /// <summary>The timeline's rows per page (Timeline.razor, RowsPerPage).</summary>
    private const int PageSize = 50;

    [Fact(Timeout = 60_000)]
    public async Task AnAccountWithAHundredThousandEvents_RendersOnlyOnePageOfRows()
    {
        var snapshot = await LoadSnapshotAsync(ledger, LargeTimelineLedger.AccountId, TestContext.Current.CancellationToken);
        Assert.Equal(LargeTimelineLedger.EventCount, snapshot.Count);

        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot));

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("tbody tr"))).WaitAsync(TestContext.Current.CancellationToken);
        var rows = cut.FindAll("tbody tr");
        Assert.InRange(rows.Count, 1, PageSize);
        Assert.Equal("99999", rows[0].QuerySelector("td[data-label='Rev']")!.TextContent.Trim());
        Assert.Equal("99,999.00 EUR", rows[0].QuerySelector("td[data-label='Balance after']")!.TextContent.Trim());
        Assert.Equal("100,000 events", cut.Find("[data-testid='timeline-count']").TextContent.Trim());
        Assert.Equal("1-50 of 100,000", cut.Find(".mud-table-page-number-information").TextContent.Trim());
    }

    /// <summary>
    /// With the account read whole (as its corrected view reads it, or any view when the account is shorter than
    /// <see cref="TimelineCacheOptions.WindowAbove"/>), the page says how far the read has come.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task OpeningTheAccountPage_ToReadItWhole_ShowsHowManyOfItsEventsAreReadSoFar_ThenTheAccount()
    {
        // A cache of its own: the fixture's may hold the account already, and then there is nothing to read.
        UseAccountPage(ledger, windowAbove: int.MaxValue);
        var progressShown = new List<string>();

        var cut = Render<Account>(p => p.Add(a => a.AccountId, LargeTimelineLedger.AccountId));
        cut.OnMarkupUpdated += (_, _) =>
        {
            if (cut.FindAll("[data-testid='account-loading']") is [var loading, ..])
                progressShown.Add(loading.TextContent.Trim());
        };
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='state-card']"))).WaitAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(progressShown);
        Assert.All(progressShown, text => Assert.Matches(@"^Reading the account's history: [\d,]+ of 100,000 events…$", text));
        Assert.Empty(cut.FindAll("[data-testid='account-loading']"));
    }

    /// <summary>
    /// Longer than <see cref="TimelineCacheOptions.WindowAbove"/>, the account is not read whole for its recorded view:
    /// the page opens on its latest state at once, a slider move reads the position from the account's marks, the
    /// timeline's pages are read by revision, and nothing of the account stays in the timeline cache.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task ALongAccount_IsShownAWindowAtATime_WithoutReadingItWhole()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var timelines = UseAccountPage(ledger, windowAbove: 50_000);
        var loadingShown = false;

        var cut = Render<Account>(p => p.Add(a => a.AccountId, LargeTimelineLedger.AccountId));
        cut.OnMarkupUpdated += (_, _) => loadingShown |= cut.FindAll("[data-testid='account-loading']").Count > 0;
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='state-card']"))).WaitAsync(cancellationToken);

        Assert.False(loadingShown, "the page read the long account whole");
        Assert.Equal("99,999.00 EUR", Text(cut, "balance"));
        Assert.Equal("revision 99,999 of 99,999", Text(cut, "replay-position"));
        await cut.WaitForAssertionAsync(() => Assert.Equal("99999", cut.Find("tbody tr td[data-label='Rev']").TextContent.Trim())).WaitAsync(cancellationToken);
        Assert.Equal("100,000 events", Text(cut, "timeline-count"));
        Assert.Equal("1-50 of 100,000", cut.Find(".mud-table-page-number-information").TextContent.Trim());

        // A position in the middle of a block between two marks, then its neighbour: the state and the event's change.
        await cut.Find("[data-testid='replay-slider']").InputAsync("54321");
        await cut.WaitForAssertionAsync(() => Assert.Equal("54,321.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        Assert.Equal("revision 54,321 of 99,999", Text(cut, "replay-position"));
        Assert.Contains("rev 54321", Text(cut, "event-change"), StringComparison.Ordinal);
        Assert.Contains("54,320.00 EUR → 54,321.00 EUR", Text(cut, "event-change"), StringComparison.Ordinal);
        await cut.Find("[data-testid='replay-slider']").InputAsync("0");
        await cut.WaitForAssertionAsync(() => Assert.Equal("0.00 EUR", Text(cut, "balance"))).WaitAsync(cancellationToken);
        Assert.Contains("AccountOpened", Text(cut, "event-change"), StringComparison.Ordinal);

        Assert.False(timelines.Holds(LargeTimelineLedger.AccountId), "the long account was loaded into the timeline cache");
    }

    private static string Text(IRenderedComponent<Account> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid='{testId}']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
