using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// A live page whose server goes away says so: the "Live" chip gives way to "Reconnecting…" and a banner tells that what
/// the page shows is no longer live. An app of its own, killed with SIGKILL, in Chromium.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class ConnectionLostTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task WhenTheServerGoesAway_TheAccountPageNoLongerSaysLive_AndSaysItIsReconnecting()
    {
        var cancellation = TestContext.Current.CancellationToken;
        SetDefaultExpectTimeout(15_000);
        await using var app = new AppProcess { Settings = new Dictionary<string, string> { ["Kafka__Enabled"] = "false" } };
        await app.InitializeAsync();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login?returnUrl=" + Uri.EscapeDataString("/accounts/ACC-100001")).WaitAsync(cancellation);
        await page.Locator("#username").FillAsync("olivia");
        await page.Locator("#password").FillAsync(BrowserTest.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync(new() { Timeout = 30_000 });
        var live = page.Locator("[data-testid=live]");
        var reconnecting = page.Locator("[data-testid=connection-lost]");
        var banner = page.Locator("[data-testid=connection-banner]");
        await Expect(live).ToBeVisibleAsync();
        await Expect(reconnecting).ToBeHiddenAsync();
        await Expect(banner).ToBeHiddenAsync();

        await app.KillAsync();

        await Expect(live).ToBeHiddenAsync();
        await Expect(reconnecting).ToBeVisibleAsync();
        await Expect(reconnecting).ToHaveTextAsync("Reconnecting…", new LocatorAssertionsToHaveTextOptions { UseInnerText = true });
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("The connection to the server was lost: what this page shows is no longer live.");
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "connection-lost.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"Screenshot: {path}");
    }
}
