using System.Globalization;
using Microsoft.AspNetCore.Components;
using AuditDashboard.Access;
using AuditDashboard.Components.Pages.Search;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Components.Search;

/// <summary>The Search page over a real ledger's event index: it searches what its address says, and says what is wrong with it.</summary>
public sealed class SearchPageTests(SearchLedger ledger) : MudComponentTest, IClassFixture<SearchLedger>
{
    [Fact]
    public void AnActorInTheAddress_ShowsThatActorsEvents_NewestFirst_AndFillsTheForm()
    {
        var page = RenderAt("search?actor=sam");

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.Equal(["3", "2"], Rows(page).Select(r => Cell(r, 2)));
        Assert.All(Rows(page), r => Assert.Equal("sam", Cell(r, 4)));
        Assert.Equal(["-60.00 EUR", "-40.00 EUR"], Rows(page).Select(r => Cell(r, 5)));
        Assert.Equal("2 events", page.Find("[data-testid=match-count]").TextContent.Trim());
        Assert.Equal("sam", Input(page, "filter-actor").GetAttribute("value"));
    }

    [Fact]
    public void TypesAndOrderInTheAddress_NarrowAndSortTheRows()
    {
        var page = RenderAt("search?type=FundsDeposited&type=AccountFrozen&order=asc");

        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        Assert.Equal(["FundsDeposited", "FundsDeposited", "AccountFrozen"], Rows(page).Select(r => Cell(r, 3)));
        Assert.Equal(["ACC-S1", "ACC-S2", "ACC-S2"], Rows(page).Select(r => Cell(r, 1)));
    }

    [Fact]
    public void ABadValueInTheAddress_ShowsItsMessageByTheFieldAndOnThePage_AndSearchesNothing()
    {
        var page = RenderAt("search?actor=sam&minAmount=lots");

        var alert = page.WaitForElement("[data-testid=search-errors]");
        Assert.Contains("minAmount must be an amount of zero or more", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("minAmount must be an amount of zero or more", FieldText(page, "filter-min-amount"), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=search-results]"));
        Assert.Empty(page.FindAll("[data-testid=match-count]"));
        Assert.All(page.FindAll("[data-testid^=export-]"), link => Assert.Null(link.GetAttribute("href")));
    }

    [Fact]
    public void EachRow_LinksToItsAccountAtItsRevision()
    {
        var page = RenderAt("search?actor=carla");

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        var link = Rows(page)[0].QuerySelector("[data-testid=search-row-link]")!;
        Assert.Equal("accounts/ACC-S2?revision=2", link.GetAttribute("href"));
        Assert.Equal("ACC-S2 at revision 2", link.GetAttribute("aria-label"));
    }

    [Fact]
    public void AReasonThatIsMarkup_IsShownAsText()
    {
        var page = RenderAt("search?actor=carla");

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        var reason = Rows(page)[0].QuerySelector("[data-testid=search-row-reason]")!;
        Assert.Equal(SearchLedger.MarkupReason, reason.TextContent.Trim());
        Assert.Equal(SearchLedger.MarkupReason, reason.GetAttribute("title"));
        Assert.Empty(page.FindAll("[data-testid=search-results] b, [data-testid=search-results] script"));
    }

    [Fact]
    public void TheExportLinks_CarryThePagesFilters_ForEachFormat()
    {
        var page = RenderAt("search?actor=sam&type=FundsWithdrawn&minAmount=50&order=asc");

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        foreach (var format in new[] { "csv", "ndjson", "pdf" })
        {
            var link = page.Find($"[data-testid=export-{format}]");
            Assert.Equal($"api/events/search/export?format={format}&actor=sam&type=FundsWithdrawn&minAmount=50&order=asc", link.GetAttribute("href"));
            Assert.True(link.HasAttribute("download"));
        }
    }

    [Fact]
    public void Search_WritesTheFormIntoTheAddress_AndShowsWhatItFinds()
    {
        var page = RenderAt("search?actor=sam");
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        Input(page, "filter-actor").Input("carla");
        Input(page, "filter-recorded-from").Input("2026-03-29 02:30");
        page.Find("form[data-testid=search-form]").Submit();

        // 02:30 on that day is skipped by the clocks in Paris: said by the field, and nothing is searched.
        page.WaitForAssertion(() => Assert.Contains("does not exist in Europe/Paris", FieldText(page, "filter-recorded-from"), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=search-results]"));

        Input(page, "filter-recorded-from").Input("2026-03-29");
        page.Find("form[data-testid=search-form]").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        Assert.Equal("carla", Cell(Rows(page)[0], 4));
        // Midnight in Paris on that day (winter time, UTC+1) is 23:00 UTC the day before.
        Assert.EndsWith("/search?actor=carla&recordedFrom=2026-03-28T23%3A00%3A00.0000000Z&order=desc", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePageOpenedBare_SearchesTheLastSevenDaysInTheViewersZone()
    {
        var page = RenderAt("search");

        page.WaitForAssertion(() => Assert.Equal(8, Rows(page).Count));
        var sevenDaysAgo = Viewer.ToLocal(DateTimeOffset.UtcNow).Date.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(sevenDaysAgo, Input(page, "filter-recorded-from").GetAttribute("value"));
        Assert.Contains("recorded in the last 7 days", page.Find("[data-testid=search-description]").TextContent, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ASearchThatRan_IsOnTheRecord_WithItsFilters_FromWhereTheUserIs()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        AddAuthorization().SetAuthorized("carla").SetRoles(Roles.ComplianceReviewer);
        Services.AddCascadingValue(_ => new ClientConnection("203.0.113.9", "Firefox/140"));
        var since = DateTimeOffset.UtcNow;
        var page = RenderAt("search?actor=sam&minAmount=50");
        page.WaitForAssertion(() => Assert.Single(Rows(page)));

        await Services.GetRequiredService<AccessRecorder>().FlushAllAsync(cancellationToken);

        var found = await AccessLogSearch.SearchAsync(ledger.Store, new AccessLogFilter(User: "carla", From: since), 0, 10, cancellationToken);
        var look = Assert.Single(found.Items.Select(e => e.Access).OfType<AccessRecorded>());
        Assert.Equal(
            (AccessAction.EventsSearched, "actor=sam; minAmount=50", null, "203.0.113.9"),
            (look.Action, look.Filters, look.AccountId, look.ClientAddress));
    }

    private IRenderedComponent<SearchPage> RenderAt(string address)
    {
        UseLedger(ledger);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new AccessRecorder(ledger.Store, TimeProvider.System, TimeSpan.FromMinutes(5)));
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<SearchPage>();
    }

    /// <summary>A text field's input (MudBlazor puts a field's attributes on its input).</summary>
    private static IElement Input(IRenderedComponent<SearchPage> page, string testId) => page.Find($"input[data-testid={testId}]");

    /// <summary>All a text field shows: its label, and its error under it.</summary>
    private static string FieldText(IRenderedComponent<SearchPage> page, string testId) =>
        Input(page, testId).Closest(".mud-input-control")?.TextContent ?? "";

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<SearchPage> page) => page.FindAll("[data-testid=search-row]");

    private static string Cell(IElement row, int index) => row.QuerySelectorAll("td")[index].TextContent.Trim();
}
