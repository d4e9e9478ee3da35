using AuditDashboard.Components.Pages.Accounts;
using AuditDashboard.Access;
using Microsoft.AspNetCore.Components;
using AuditDashboard.Export;
using AuditDashboard.Integrity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
    /// Turned to oldest first, the timeline stays on its first page when the page around it renders again with the same
    /// selection (a dialog opening did that: the table jumped to the selected revision's page behind it); a new
    /// selection is still brought into view.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task OldestFirst_StaysOnItsFirstPage_UntilAnotherRevisionIsSelected()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var snapshot = await LoadSnapshotAsync(ledger, LargeTimelineLedger.AccountId, cancellationToken);
        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot).Add(t => t.SelectedRevision, 99_999L));
        await cut.WaitForAssertionAsync(() => Assert.Equal("99999", FirstRevision(cut))).WaitAsync(cancellationToken);

        await cut.Find("input[data-testid='timeline-oldest-first'], [data-testid='timeline-oldest-first'] input").ChangeAsync(new ChangeEventArgs { Value = true });
        await cut.WaitForAssertionAsync(() => Assert.Equal("0", FirstRevision(cut))).WaitAsync(cancellationToken);

        cut.Render(p => p.Add(t => t.Snapshot, snapshot).Add(t => t.SelectedRevision, 99_999L));
        await Task.Delay(200, cancellationToken);
        Assert.Equal("0", FirstRevision(cut));

        cut.Render(p => p.Add(t => t.Snapshot, snapshot).Add(t => t.SelectedRevision, 75_010L));
        await cut.WaitForAssertionAsync(() => Assert.Equal("75000", FirstRevision(cut))).WaitAsync(cancellationToken);
    }

    private static string FirstRevision(IRenderedComponent<Timeline> cut) => cut.Find("tbody tr td[data-label='Rev']").TextContent.Trim();

    /// <summary>
    /// With the account read whole (when it is shorter than <see cref="TimelineCacheOptions.WindowAbove"/>), the page
    /// says how far the read has come.
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

    /// <summary>
    /// The export dialog of a long account shown a window at a time counts the events of a range from the account's
    /// marks, in either view, and the account is still not read whole.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task TheExportDialog_OfALongAccount_CountsItsRange_WithoutReadingItWhole()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Services.AddSingleton(new ExportProgressRegistry(TimeProvider.System));
        Services.AddSingleton(ledger.Store);
        Services.AddScoped<AccessLogReader>();
        Services.AddSingleton(Options.Create(new IntegrityOptions()));
        AddAuthorization().SetAuthorized("carla").SetRoles(Roles.ComplianceReviewer);
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(Policies.AddTo);
        var timelines = UseAccountPage(ledger, windowAbove: 50_000);
        var dialogs = Render<MudDialogProvider>();

        var cut = Render<Account>(p => p.Add(a => a.AccountId, LargeTimelineLedger.AccountId));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='state-card']"))).WaitAsync(cancellationToken);

        // The click's handler waits for the dialog to close.
        _ = cut.Find("[data-testid='export-open']").ClickAsync();

        await dialogs.WaitForAssertionAsync(() => Assert.StartsWith("100,000 events in this range", dialogs.Find("[data-testid='export-count']").TextContent.Trim(), StringComparison.Ordinal))
            .WaitAsync(cancellationToken);
        Assert.False(timelines.Holds(LargeTimelineLedger.AccountId), "the long account was read whole for the export dialog");
    }

    private static string Text(IRenderedComponent<Account> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid='{testId}']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
