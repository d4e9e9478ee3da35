using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>A shared address with <c>?revision=k</c> opens the replay there and the timeline on the page that holds it.</summary>
[Collection(BrowserSuite.Name)]
public sealed class SharedViewTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    [Fact(Timeout = 90_000)]
    public async Task AnAddressWithAnOldRevision_OpensTheTimelineOnThePageThatHoldsIt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var list = await api.GetFromJsonAsync<ApiAccountList>("api/accounts?take=500", cancellation);
        Assert.NotNull(list);

        // An account whose first event is not on the timeline's first page (50 rows, newest first).
        var account = list.Items.Where(a => a.EventCount is > 60 and < 1_000).OrderBy(a => a.AccountId, StringComparer.Ordinal).First();

        await SignInAsync("olivia", $"/accounts/{account.AccountId}?revision=1", cancellation);
        await WaitForInteractiveAsync(cancellation);

        var row = Page.Locator("[data-testid=timeline] tbody tr.selected-row");
        await Expect(row.Locator("[data-revision='1']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=timeline] [data-revision='0']")).ToBeVisibleAsync();
        await Expect(Page.Locator($"[data-testid=timeline] [data-revision='{account.Revision}']")).ToHaveCountAsync(0);
    }
}
