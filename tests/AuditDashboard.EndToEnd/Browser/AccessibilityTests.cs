using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Every page, signed in as a user with every role, in the light and the dark theme, checked by axe-core in Chromium at a laptop's 1280 × 720: no violation of the
/// WCAG 2.1 A and AA rules (names for every button, headings in order, text contrast, scrollable regions reachable by
/// keyboard, table headers with text).
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class AccessibilityTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account no browser test writes to; this test only reads it.</summary>
    private const string Account = "ACC-100013";

    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>The dashboard follows the system's colour scheme on every page load: the browser says which.</summary>
    [Theory(Timeout = 240_000)]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPage_InEitherTheme_HasNoWcagViolation(string scheme)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await Page.SetViewportSizeAsync(1280, 720);
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light });
        await GoToAsync("login", cancellation);
        var found = new List<string>();
        found.AddRange(await ViolationsAsync("login"));
        await SignInAsync("admin", "/accounts", cancellation);

        foreach (var (name, path, ready) in new[]
        {
            ("accounts", "accounts", "[data-testid=accounts-table], table"),
            ("account", $"accounts/{Account}", "[data-testid=balance]"),
            ("pending corrections", "corrections/pending", "[data-testid=pending-count]"),
            ("Kafka mirror", "mirror", "[data-testid=mirror-state]"),
            ("integrity", "integrity", "h1"),
            ("access log", "access-log", "[data-testid=access-log]"),
        })
        {
            await GoToAsync(path, cancellation);
            await WaitForInteractiveAsync(cancellation);
            await Expect(Page.Locator(ready).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
            found.AddRange(await ViolationsAsync(name));
        }

        Assert.True(found.Count == 0, $"axe-core found, in the {scheme} theme:\n" + string.Join('\n', found));
    }

    private async Task<IEnumerable<string>> ViolationsAsync(string page)
    {
        var result = await Page.RunAxe(Wcag);
        return result.Violations.Select(v => $"{page}: {v.Impact} {v.Id} ({v.Nodes.Length}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}");
    }
}
