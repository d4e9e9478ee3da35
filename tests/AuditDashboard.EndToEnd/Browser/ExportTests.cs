using AuditDashboard.Core.Export;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Compliance exports in the browser: a reviewer downloads an account's CSV from the export dialog, the file verifies,
/// the dialog and the access log page show the same digest; an operator has no export button and no access log.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class ExportTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account no other browser test writes to.</summary>
    private const string Account = "ACC-100041";

    private static readonly LocatorAssertionsToBeVisibleOptions Bounded = new() { Timeout = 15_000 };

    [Fact(Timeout = 180_000)]
    public async Task Reviewer_DownloadsACsv_ThatVerifies_WithTheDigestTheDialogAndTheAccessLogShow()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("carla", $"/accounts/{Account}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=signed-in-user]")).ToContainTextAsync("· Compliance reviewer", new() { Timeout = 15_000 });
        var dialog = Page.Locator("[data-testid=export-dialog]");
        await RetryUntilAsync("the export dialog to open", async () =>
        {
            if (await dialog.CountAsync() == 0)
                await Page.Locator("[data-testid=export-open]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(dialog).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(Page.Locator("[data-testid=export-count]")).ToContainTextAsync("events in this range");

        var download = await Page.RunAndWaitForDownloadAsync(
            () => Page.Locator("[data-testid=export-start]").ClickAsync(),
            new PageRunAndWaitForDownloadOptions { Timeout = 30_000 });
        var folder = Directory.CreateTempSubdirectory("export-download-");
        try
        {
            var path = Path.Combine(folder.FullName, download.SuggestedFilename);
            await download.SaveAsAsync(path);
            Assert.StartsWith($"{Account}_recorded_", download.SuggestedFilename, StringComparison.Ordinal);
            Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);

            VerificationResult result;
            await using (var file = File.OpenRead(path))
                result = ExportVerifier.Verify(file);
            Assert.True(result.IsValid, result.Message);
            Assert.True(result.Count > 0, "The demo account has events.");

            // The dialog reports the end of the export with the same digest.
            await Expect(Page.Locator("[data-testid=export-done]")).ToBeVisibleAsync(Bounded);
            await Expect(Page.Locator("[data-testid=export-digest]")).ToHaveTextAsync(result.Digest!);
            await Page.Locator("[data-testid=export-close]").ClickAsync();

            // And the access log lists it first, by carla, with that digest.
            await GoToAsync("access-log", cancellation);
            await WaitForInteractiveAsync(cancellation);
            var first = Page.Locator("[data-testid=access-log] tbody tr").First;
            await Expect(first.Locator("[data-testid=access-digest]")).ToHaveTextAsync(result.Digest!);
            await Expect(first.Locator("[data-testid=access-who]")).ToHaveTextAsync("carla");
            await Expect(first.Locator("[data-testid=access-account]")).ToHaveTextAsync(Account);
            await Expect(first.Locator("[data-testid=access-outcome]")).ToHaveTextAsync("Completed");
            await SaveScreenshotAsync("access-log");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Operator_HasNoExportButton_AndIsTurnedAwayFromTheAccessLog()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", $"/accounts/{Account}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=balance]")).ToBeVisibleAsync(Bounded);
        await Expect(Page.Locator("[data-testid=export-open]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-testid=nav-access-log]")).ToHaveCountAsync(0);

        await GoToAsync("access-log", cancellation);
        await Expect(Page.Locator("[data-testid=access-log]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-testid=access-denied]")).ToContainTextAsync("This page needs the Compliance reviewer role", new() { Timeout = 15_000 });
    }
}
