using System.Diagnostics;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>
/// A browser test: a fresh browser context and page on the shared app. When a test fails, its screenshot is saved and
/// the app's output during the test and the browser's console are written to the test output.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    public const string Password = "dev-password";

    /// <summary>Long enough for a cold circuit on two busy cores, short enough that a stuck page fails the test soon.</summary>
    protected static readonly TimeSpan InteractiveTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _console = [];
    private IBrowserContext? _context;
    private IPage? _page;
    private int _outputMark;

    protected BrowserTest(AppProcess app, BrowserFixture browser, ITestOutputHelper output)
    {
        App = app;
        Browser = browser;
        Output = output;
    }

    protected AppProcess App { get; }

    protected BrowserFixture Browser { get; }

    protected ITestOutputHelper Output { get; }

    protected IPage Page => _page ?? throw new InvalidOperationException("The page is not open.");

    /// <summary>The test output folder, where screenshots go.</summary>
    protected static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public virtual async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _outputMark = App.Process.LineCount;
        _context = await Browser.NewContextAsync(App.BaseAddress);
        _page = await _context.NewPageAsync();
        _page.Console += (_, message) =>
        {
            lock (_console)
                _console.Add($"[{message.Type}] {message.Text}");
        };
        _page.PageError += (_, error) =>
        {
            lock (_console)
                _console.Add($"[pageerror] {error}");
        };
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result is TestResult.Failed)
        {
            if (_page is not null)
            {
                var name = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
                var path = await SaveScreenshotAsync("failed-" + name);
                Output.WriteLine($"Screenshot at failure: {path} (page {_page.Url})");
            }

            lock (_console)
                Output.WriteLine("--- browser console ---\n" + string.Join('\n', _console));
            Output.WriteLine("--- app output during the test ---\n" + App.OutputSince(_outputMark));
        }

        if (_context is not null)
            await _context.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Saves a full-page screenshot into the test output folder and returns its path.</summary>
    protected async Task<string> SaveScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var safe = Regex.Replace(name, "[^A-Za-z0-9_.-]+", "_");
        var path = Path.Combine(ScreenshotFolder, (safe.Length > 120 ? safe[..120] : safe) + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 15_000 });
        return path;
    }

    /// <summary>Loads <paramref name="path"/> (relative to the app) in the page; the test's cancellation ends the wait early.</summary>
    protected async Task<IResponse?> GoToAsync(string path, CancellationToken cancellationToken) =>
        await Page.GotoAsync(path).WaitAsync(cancellationToken);

    /// <summary>Signs in through the login form (a static page: no circuit involved) and waits to leave it.</summary>
    protected async Task SignInAsync(string userName, string returnPath, CancellationToken cancellationToken)
    {
        await GoToAsync("login?returnUrl=" + Uri.EscapeDataString(returnPath), cancellationToken);
        await Page.Locator("#username").FillAsync(userName);
        await Page.Locator("#password").FillAsync(Password);
        await Page.Locator("form button[type=submit]").ClickAsync();
        await Page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal)).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Waits until the page's circuit is live: the layout sets <c>data-interactive="true"</c> in its first interactive
    /// render. Before that the page is prerendered HTML, and clicks or keys sent to it are lost.
    /// </summary>
    protected async Task WaitForInteractiveAsync(CancellationToken cancellationToken) =>
        await Expect(Page.Locator("[data-interactive=true]"))
            .ToBeAttachedAsync(new LocatorAssertionsToBeAttachedOptions { Timeout = (float)InteractiveTimeout.TotalMilliseconds })
            .WaitAsync(cancellationToken);

    /// <summary>
    /// Types into the accounts search box until the list narrows to <paramref name="accountId"/>. Typing is repeated
    /// until it takes effect, in case it reached the page before the circuit did.
    /// </summary>
    protected async Task SearchAccountsUntilInteractiveAsync(string accountId, CancellationToken cancellationToken)
    {
        var search = Page.GetByPlaceholder("Search by account id or owner");
        var rows = Page.Locator("[data-testid=accounts-table] tbody tr.clickable-row");
        await WaitForInteractiveAsync(cancellationToken);
        await RetryUntilAsync($"the accounts list to narrow to {accountId} after typing it into the search box", async () =>
        {
            await search.FillAsync(accountId);
            await Expect(rows).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
            await Expect(rows.First).ToContainTextAsync(accountId, new LocatorAssertionsToContainTextOptions { Timeout = 1_000 });
        }, cancellationToken);
    }

    /// <summary>
    /// Expands the timeline entry of <paramref name="revision"/> on an interactive account page, clicking again should
    /// a click be lost, until its details show.
    /// </summary>
    protected async Task<ILocator> ExpandEventAsync(long revision, CancellationToken cancellationToken)
    {
        var button = Page.Locator($"[data-testid='expand-{revision}']");
        await Expect(button).ToBeVisibleAsync();
        await Expect(button).ToHaveAttributeAsync("aria-label", $"Details of revision {revision}");
        await WaitForInteractiveAsync(cancellationToken);
        await RetryUntilAsync($"revision {revision} to expand", async () =>
        {
            if (await button.GetAttributeAsync("aria-expanded") != "true")
                await button.ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(button).ToHaveAttributeAsync("aria-expanded", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 3_000 });
        }, cancellationToken);
        return Page.Locator("[data-testid=event-details]").First;
    }

    /// <summary>The newest revision shown on the account page (the timeline lists the newest first).</summary>
    protected async Task<long> NewestShownRevisionAsync()
    {
        var first = Page.Locator("[data-testid=timeline] [data-testid^='expand-']").First;
        await Expect(first).ToBeVisibleAsync();
        var testId = await first.GetAttributeAsync("data-testid") ?? "";
        return long.Parse(testId["expand-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="attempt"/> until it stops throwing Playwright failures, for at most <see cref="InteractiveTimeout"/>.</summary>
    protected static async Task RetryUntilAsync(string what, Func<Task> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var stopwatch = Stopwatch.StartNew();
        for (var tries = 1; ; tries++)
        {
            try
            {
                await attempt().WaitAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException && stopwatch.Elapsed < InteractiveTimeout)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {tries} tries in {stopwatch.Elapsed.TotalSeconds:0} s: {ex.Message}", ex);
            }
        }
    }
}
