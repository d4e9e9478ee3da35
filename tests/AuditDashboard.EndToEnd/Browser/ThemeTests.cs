using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>The theme a viewer picks is kept: the next page, and a reload, render in it from the start.</summary>
[Collection(BrowserSuite.Name)]
public sealed class ThemeTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    [Fact(Timeout = 90_000)]
    public async Task TheDarkTheme_ChosenOnce_IsKeptAcrossAReload()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await SignInAsync("olivia", "/accounts", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var light = await BackgroundAsync();

        await Page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await Expect(Page.Locator("body")).Not.ToHaveCSSAsync("background-color", light, new() { Timeout = 15_000 });
        var dark = await BackgroundAsync();

        await Page.ReloadAsync();
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", dark, new() { Timeout = 15_000 });

        // And back: light is kept as well, whatever the system says.
        await Page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", light, new() { Timeout = 15_000 });
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Page.ReloadAsync();
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", light, new() { Timeout = 15_000 });
    }

    private Task<string> BackgroundAsync() => Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
