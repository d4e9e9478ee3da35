using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Every page of the dashboard under its Content-Security-Policy, in Chromium: signed in with every role, each page loads,
/// works (its circuit connects over a WebSocket, clicks and keys take effect, the correction and export dialogs open), and
/// the browser reports no violation of the policy, neither as a <c>securitypolicyviolation</c> event nor in the console.
/// A script injected without the nonce, and eval, are refused: the policy is in force and the listener hears it.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class ContentSecurityPolicyTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account no browser test writes to; this test only reads it.</summary>
    private const string Account = "ACC-100012";

    /// <summary>Runs in every document before its own scripts, so a violation while the page loads is heard too.</summary>
    private const string ReportViolations = """
        document.addEventListener('securitypolicyviolation', e => {
          window.reportCspViolation(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} on ${location.pathname} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
        }, true);
        """;

    private static readonly LocatorAssertionsToBeVisibleOptions Bounded = new() { Timeout = 15_000 };

    private readonly List<string> _violations = [];
    private readonly List<string> _webSockets = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Page.ExposeFunctionAsync<string>("reportCspViolation", violation =>
        {
            lock (_violations)
                _violations.Add(violation);
        });
        await Page.AddInitScriptAsync(ReportViolations);
        Page.Console += (_, message) =>
        {
            // Chromium also logs every refusal: "Refused to execute inline script because it violates the following Content Security Policy directive…".
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Permissions-Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (_violations)
                    _violations.Add($"console {message.Type}: {message.Text}");
            }
        };
        Page.WebSocket += (_, socket) =>
        {
            lock (_webSockets)
                _webSockets.Add(socket.Url);
        };
    }

    [Fact(Timeout = 300_000)]
    public async Task EveryPage_WorksUnderThePolicy_AndTheBrowserReportsNoViolation()
    {
        var cancellation = TestContext.Current.CancellationToken;

        // The login page: a static form whose posting is its interaction.
        await GoToAsync("login", cancellation);
        await Expect(Page.Locator("#username")).ToBeVisibleAsync(Bounded);
        await SignInAsync("admin", "/accounts", cancellation);

        // The accounts list: typing filters it.
        await SearchAccountsUntilInteractiveAsync(Account, cancellation);

        // An account with its replay: a key on the slider moves it; the theme switch restyles the page.
        await GoToAsync($"accounts/{Account}?revision=2", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var position = Page.Locator("[data-testid=replay-position]");
        await Expect(position).ToContainTextAsync("revision 2 of", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        var slider = Page.GetByRole(AriaRole.Slider, new PageGetByRoleOptions { Name = "Replay position" });
        await RetryUntilAsync("ArrowRight on the replay slider to move it", async () =>
        {
            if ((await position.TextContentAsync())?.Contains("revision 2 of", StringComparison.Ordinal) == true)
                await slider.PressAsync("ArrowRight", new LocatorPressOptions { Timeout = 5_000 });
            await Expect(position).ToContainTextAsync("revision 3 of", new LocatorAssertionsToContainTextOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(Page.Locator("[data-testid=balance]")).ToBeVisibleAsync(Bounded);
        var background = await BodyBackgroundAsync();
        await Page.GetByLabel("Toggle dark theme").ClickAsync();
        await EventuallyAsync("the page background to change with the theme", async () => await BodyBackgroundAsync() != background, cancellation);

        // The correction dialog: it previews what the amount and reason would do, and is cancelled.
        var reason = Page.Locator("[data-testid=correction-reason]");
        await RetryUntilAsync("the correction dialog to open", async () =>
        {
            // Click only while no dialog is on its way: a second click while the first one's dialog renders closes it again.
            if (await reason.CountAsync() == 0 && await Page.Locator(".mud-dialog").CountAsync() == 0)
                await Page.Locator("[data-testid=adjust-balance]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(reason).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Page.Locator("[data-testid=correction-amount]").FillAsync("1.50");
        await reason.FillAsync("Checking the dialog under the security policy");
        await Expect(Page.Locator("[data-testid=correction-preview]")).ToBeVisibleAsync(Bounded);
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(Page.Locator("[data-testid=correction-dialog], [data-testid=correction-reason]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });

        // The export dialog: it counts the events of the range, and is cancelled.
        var export = Page.Locator("[data-testid=export-dialog]");
        await RetryUntilAsync("the export dialog to open", async () =>
        {
            if (await export.CountAsync() == 0)
                await Page.Locator("[data-testid=export-open]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(export).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(Page.Locator("[data-testid=export-count]")).ToContainTextAsync("events in this range");
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(export).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });

        // Pending corrections, reached through the menu (routing in the circuit): its tabs switch.
        await Page.Locator("[data-testid=nav-pending]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/corrections/pending$"));
        await Expect(Page.Locator("[data-testid=pending-count]")).ToBeVisibleAsync(Bounded);
        await Page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Decided" }).ClickAsync();
        await Expect(Page.Locator("[data-testid=decided-table]")).ToBeVisibleAsync(Bounded);
        await GoToAsync("corrections/pending", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=pending-count]")).ToBeVisibleAsync(Bounded);

        // The access log: it refreshes.
        await GoToAsync("access-log", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=access-log]")).ToBeVisibleAsync(Bounded);
        await Page.Locator("[data-testid=access-log-refresh]").ClickAsync();
        await Expect(Page.Locator("[data-testid=access-log-error]")).ToHaveCountAsync(0);

        // The Kafka mirror page: it reads an account back from Kafka and says what it found.
        await GoToAsync("mirror", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=mirror-state]")).ToBeVisibleAsync(Bounded);
        var reconciled = Page.Locator("[data-testid=reconcile-result], [data-testid=reconcile-error]");
        await RetryUntilAsync("the mirror page to reconcile an account", async () =>
        {
            await Page.Locator("[data-testid=reconcile-account]").FillAsync(Account);
            await Page.Locator("[data-testid=reconcile]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(reconciled).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 10_000 });
        }, cancellation);

        // The not-found and access-denied pages.
        await GoToAsync("no-such-page", cancellation);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Page not found");
        await WaitForInteractiveAsync(cancellation);
        await GoToAsync("access-denied", cancellation);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Access denied");
        await WaitForInteractiveAsync(cancellation);

        // Every circuit ran over a WebSocket to the dashboard itself: connect-src 'self' covers ws: on the same host and port.
        string[] sockets;
        lock (_webSockets)
            sockets = [.. _webSockets];
        Assert.NotEmpty(sockets);
        Assert.All(sockets, url => Assert.StartsWith($"ws://{App.BaseAddress.Authority}/_blazor", url, StringComparison.Ordinal));
        AssertNoViolation();

        // The policy is in force, and a refusal is heard: a script without the nonce does not run, nor does eval.
        var injected = await Page.EvaluateAsync<bool>("""
            () => { const s = document.createElement('script'); s.textContent = 'window.injectedRan = true'; document.head.appendChild(s); return window.injectedRan === true; }
            """);
        // Playwright's own evaluation may eval (DevTools lets it); the page's code, run later from a timer, may not.
        await Page.EvaluateAsync("() => setTimeout(() => { try { window.evalResult = String(eval('6 * 7')); } catch (e) { window.evalResult = e.name; } }, 0)");
        var evaluated = await Page.WaitForFunctionAsync("() => window.evalResult");
        Assert.False(injected, "An inline script without the nonce ran.");
        Assert.Equal("EvalError", await evaluated.JsonValueAsync<string>());
        await EventuallyAsync("the refused script and eval to be reported", () => Task.FromResult(
            Violations().Any(v => v.StartsWith("script-src-elem refused inline", StringComparison.Ordinal))
            && Violations().Any(v => v.StartsWith("script-src refused eval", StringComparison.Ordinal))), cancellation);
    }

    private static async Task EventuallyAsync(string what, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        for (var waited = TimeSpan.Zero; !await condition(); waited += TimeSpan.FromMilliseconds(100))
        {
            if (waited > TimeSpan.FromSeconds(10))
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<string> BodyBackgroundAsync() => await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    private string[] Violations()
    {
        lock (_violations)
            return [.. _violations];
    }

    private void AssertNoViolation()
    {
        var violations = Violations();
        Assert.True(violations.Length == 0, "The browser reported violations of the policy:\n" + string.Join('\n', violations));
    }
}
