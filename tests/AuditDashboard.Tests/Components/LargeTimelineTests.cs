using AuditDashboard.Components.Pages.Accounts;
using AuditDashboard.Mirror;
using Microsoft.AspNetCore.Components;

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

    [Fact(Timeout = 60_000)]
    public async Task OpeningTheAccountPage_ShowsHowManyOfItsEventsAreReadSoFar_ThenTheAccount()
    {
        // A cache of its own: the fixture's may hold the account already, and then there is nothing to read.
        Services.AddSingleton(new AccountTimelines(ledger.Store));
        Services.AddSingleton(new AccountHistory(ledger.Store, ledger.Directory.Store));
        Services.AddSingleton(new MirrorMonitor(ledger.Store, TimeProvider.System));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
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
}
