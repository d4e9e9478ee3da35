using Microsoft.AspNetCore.Components;
using AccountsPage = AuditDashboard.Components.Pages.Accounts.Accounts;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The accounts page, rendered directly: its [Authorize] attribute is enforced by the router and the endpoint
/// (covered by the endpoint tests), and the page itself reads no user, so no authorization state is needed here.
/// </summary>
public sealed class AccountsPageTests : MudComponentTest, IClassFixture<AccountsLedger>
{
    public AccountsPageTests(AccountsLedger ledger) => UseLedger(ledger);

    [Fact(Timeout = 30_000)]
    public async Task AccountsPage_ListsAccountsWithBalanceAndStatus()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);

        var rows = Rows(cut);
        Assert.Equal(("ACC-0001", "Alice Martin", "Open", "1,234.50 EUR"), rows[0]);
        Assert.Equal(("ACC-0002", "Bruno Keller", "Frozen", "60.00 CHF"), rows[1]);
        Assert.Equal(("ACC-0004", "Chloé Dubois", "Closed", "5,000 JPY"), rows[3]);
        Assert.Equal(("ACC-0005", "Client 05", "Open", "50.00 EUR"), rows[4]);
        Assert.Equal("30 accounts", cut.Find("[data-testid='account-count']").TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task SearchingByOwner_IgnoringCase_NarrowsTheRowsToThatOwner()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);

        await cut.Find(".search-box input").InputAsync("martin");

        cut.WaitForAssertion(() => Assert.Equal(["ACC-0001"], Rows(cut).Select(r => r.Id)));

        // The count above the table is the search's, not the ledger's.
        cut.WaitForAssertion(() => Assert.Equal("1 of 30 accounts match “martin”", cut.Find("[data-testid='account-count']").TextContent.Trim()));
        await cut.Find(".search-box input").InputAsync("");
        cut.WaitForAssertion(() => Assert.Equal("30 accounts", cut.Find("[data-testid='account-count']").TextContent.Trim()));
    }

    [Fact(Timeout = 30_000)]
    public async Task SearchingByAccountId_NarrowsTheRowsToMatchingIds()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);

        await cut.Find(".search-box input").InputAsync("ACC-001");

        cut.WaitForAssertion(() => Assert.Equal(
            Enumerable.Range(10, 10).Select(n => $"ACC-{n:0000}"),
            Rows(cut).Select(r => r.Id)));
        Assert.Equal("1-10 of 10", PagerText(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task SearchingForNothingThatExists_SaysNoAccountMatches()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);

        await cut.Find(".search-box input").InputAsync("zebra");

        cut.WaitForAssertion(() => Assert.Contains("No account id or owner contains “zebra”", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(Rows(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task Paging_ShowsTwentyFiveRowsFirst_ThenTheRemainingFive()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);
        Assert.Equal(25, Rows(cut).Count);
        Assert.Equal("1-25 of 30", PagerText(cut));

        await cut.Find("button[aria-label='Next page']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(
            Enumerable.Range(26, 5).Select(n => $"ACC-{n:0000}"),
            Rows(cut).Select(r => r.Id)));
        Assert.Equal("26-30 of 30", PagerText(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnOwnerNameMadeOfMarkup_IsShownAsText_AndAddsNoElement()
    {
        var cut = await RenderPageAsync(TestContext.Current.CancellationToken);

        var owner = cut.FindAll("td[data-label='Owner']").Single(td => td.TextContent.Contains("alert", StringComparison.Ordinal));
        Assert.Equal(AccountsLedger.MarkupOwner, owner.TextContent);
        Assert.Empty(owner.Children);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("td b"));
    }

    private async Task<IRenderedComponent<AccountsPage>> RenderPageAsync(CancellationToken cancellationToken)
    {
        // Live, as the app renders it: the list writes its search and page into the address.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<AccountsPage>();

        // The table asks for its first page after its first render.
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut))).WaitAsync(cancellationToken);
        return cut;
    }

    private static List<(string Id, string Owner, string Status, string Balance)> Rows(IRenderedComponent<AccountsPage> cut) =>
        cut.FindAll("tbody tr")
            .Where(row => row.QuerySelector("td[data-label='Account']") is not null)
            .Select(row => (
                row.QuerySelector("td[data-label='Account']")!.TextContent.Trim(),
                row.QuerySelector("td[data-label='Owner']")!.TextContent.Trim(),
                row.QuerySelector("td[data-label='Status']")!.TextContent.Trim(),
                row.QuerySelector("td[data-label='Balance']")!.TextContent.Trim()))
            .ToList();

    private static string PagerText(IRenderedComponent<AccountsPage> cut) =>
        cut.Find(".mud-table-page-number-information").TextContent.Trim();
}
