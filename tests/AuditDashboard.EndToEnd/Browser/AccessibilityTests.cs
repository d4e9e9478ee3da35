using AuditDashboard.Adapters.Embedded;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Every page, signed in as a user with every role, in the light and the dark theme, checked by axe-core in Chromium at a laptop's 1280 × 720: no violation of the
/// WCAG 2.0, 2.1 and 2.2 A and AA rules (names for every button, headings in order, text contrast, scrollable regions reachable by
/// keyboard, table headers with text).
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class AccessibilityTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account no browser test writes to; this test only reads it.</summary>
    private const string Account = "ACC-100013";

    /// <summary>
    /// An account longer than Timelines:WindowAbove (50,000 events by default), whose page reads it a window at a time
    /// (its timeline without filters): written here when missing, and only read.
    /// </summary>
    private const string LongAccount = "ACC-000002";
    private const int LongAccountEvents = 50_001;

    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
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
        await WriteLongAccountAsync(cancellation);
        await SignInAsync("admin", "/accounts", cancellation);

        foreach (var (name, path, ready) in new[]
        {
            ("accounts", "accounts", "[data-testid=accounts-table], table"),
            ("account", $"accounts/{Account}", "[data-testid=balance]"),
            ("long account", $"accounts/{LongAccount}", "[data-testid=timeline-window-note]"),
            ("pending corrections", "corrections/pending", "[data-testid=pending-count]"),
            ("Kafka mirror", "mirror", "[data-testid=mirror-state]"),
            ("integrity", "integrity", "h1"),
            ("access log", "access-log", "[data-testid=access-log]"),
            ("search", "search", "[data-testid=match-count]"),
            ("corrections report", "reports/corrections", "[data-testid=report-figures]"),
        })
        {
            await GoToAsync(path, cancellation);
            await WaitForInteractiveAsync(cancellation);
            await Expect(Page.Locator(ready).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
            found.AddRange(await ViolationsAsync(name));
        }

        // The inspector's other tabs: the event shown, the comparison and who viewed the account (admin holds every role).
        await GoToAsync($"accounts/{Account}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        foreach (var (tab, ready) in new[] { ("Event", "[data-testid=inspector-event]"), ("Compare", "[data-testid=compare]"), ("Who viewed", "[data-testid=who-viewed]") })
        {
            await RetryUntilAsync($"the {tab} tab to open", async () =>
            {
                await Page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = tab }).ClickAsync(new LocatorClickOptions { Timeout = 3_000 });
                await Expect(Page.Locator(ready)).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
            }, cancellation);
            found.AddRange(await ViolationsAsync($"{tab} tab"));
        }

        // With a dialog open: the keyboard shortcuts (?), the export, and a correction.
        foreach (var (name, open, ready) in new (string, Func<Task>, string)[]
        {
            ("shortcuts dialog", () => Page.Keyboard.PressAsync("?"), "[data-testid=shortcuts-dialog]"),
            ("export dialog", () => Page.Locator("[data-testid=export-open]").ClickAsync(), "[data-testid=export-count]"),
            ("correction dialog", () => Page.Locator("[data-testid=adjust-balance]").ClickAsync(), "[data-testid=correction-reason]"),
        })
        {
            await RetryUntilAsync($"the {name} to open", async () =>
            {
                if (await Page.Locator(ready).CountAsync() == 0)
                    await open();
                await Expect(Page.Locator(ready).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
            }, cancellation);
            found.AddRange(await ViolationsAsync(name));
            await RetryUntilAsync($"the {name} to close", async () =>
            {
                await Page.Keyboard.PressAsync("Escape");
                await Expect(Page.Locator(".mud-dialog-container")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
            }, cancellation);
        }

        Assert.True(found.Count == 0, $"axe-core found, in the {scheme} theme:\n" + string.Join('\n', found));
    }

    private async Task WriteLongAccountAsync(CancellationToken cancellationToken)
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={App.DatabasePath}"));
        await store.InitializeAsync(cancellationToken);
        var stream = AccountIds.StreamOf(LongAccount);
        if (await store.GetLastRevisionAsync(stream, cancellationToken) is not null)
            return;
        var metadata = new EventMetadata("payroll-batch", "Salary run", Guid.NewGuid().ToString("N"), null, "end-to-end-tests");
        var expected = ExpectedRevision.NoStream;
        var batch = new List<EventData> { AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(LongAccount, "Long Account Holder", "EUR"), metadata) };
        for (var written = 0; written < LongAccountEvents; written += batch.Count, batch.Clear())
        {
            while (batch.Count < 1_000 && written + batch.Count < LongAccountEvents)
                batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(12.5m, "EUR", $"PAY-{written + batch.Count}"), metadata));
            expected = ExpectedRevision.Exact((await store.AppendAsync(stream, expected, batch, cancellationToken)).NextExpectedRevision);
        }
    }

    private async Task<IEnumerable<string>> ViolationsAsync(string page)
    {
        var result = await Page.RunAxe(Wcag);
        return result.Violations.Select(v => $"{page}: {v.Impact} {v.Id} ({v.Nodes.Length}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}");
    }
}
