using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// The account page in Chromium, on an app of its own whose access log batches looks for two seconds: an operator opening
/// an account (prerendered, then live) and stepping through it is one look on the record, which a compliance reviewer then
/// sees in the account's "who viewed" card.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class AccountAccessTests(BrowserFixture browser, ITestOutputHelper output)
    : BrowserTest(new AppProcess { Settings = new Dictionary<string, string> { ["Kafka__Enabled"] = "false", ["AccessLog__BatchWindow"] = "00:00:02" } }, browser, output)
{
    private const string DemoAccount = "ACC-100011";
    private const string ComplianceKey = "dev-compliance-key-c05d6e";

    public override async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await App.DisposeAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task AnOperatorsVisit_IsOneLook_ThatAComplianceReviewerSeesOnTheAccountPage()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", "/accounts/" + DemoAccount, cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=state-card]")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=who-viewed]")).ToHaveCountAsync(0);
        for (var step = 0; step < 3; step++)
            await Page.Locator("[data-testid=step-back]").ClickAsync();

        using var api = App.CreateApiClient(ComplianceKey);
        List<Viewer> viewers = [];
        await Eventually.UntilAsync(
            async token => (viewers = await OliviasLooksAsync(api, token)).Count > 0,
            "olivia's look to reach the access log", TimeSpan.FromSeconds(30), cancellation, () => string.Join(", ", viewers));
        var look = Assert.Single(viewers);
        Assert.Equal(("AccountViewed", 1, "127.0.0.1"), (look.Action, look.Count, look.ClientAddress));

        // The inspector's "Who viewed" tab, which only a compliance reviewer has.
        await SignInAsync("carla", "/accounts/" + DemoAccount, cancellation);
        await WaitForInteractiveAsync(cancellation);
        var card = Page.Locator("[data-testid=who-viewed]");
        await RetryUntilAsync("the Who viewed tab to open", async () =>
        {
            await Page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Who viewed" }).ClickAsync(new LocatorClickOptions { Timeout = 3_000 });
            await Expect(card).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(card.Locator("[data-testid=who-viewed-who]", new LocatorLocatorOptions { HasText = "olivia" })).ToBeVisibleAsync();
    }

    private static async Task<List<Viewer>> OliviasLooksAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var answer = await api.GetFromJsonAsync<ViewersAnswer>(new Uri($"api/accounts/{DemoAccount}/viewers", UriKind.Relative), cancellationToken);
        return [.. answer!.Items.Where(v => v.Who == "olivia")];
    }

    private sealed record ViewersAnswer(List<Viewer> Items);

    private sealed record Viewer(string Who, string Action, int Count, string? ClientAddress);
}
