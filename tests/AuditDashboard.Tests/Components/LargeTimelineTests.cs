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
}
