using AuditDashboard.Core.Export;
using System.Globalization;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>A compliance reviewer searches the events of every account by actor, exports the matches and opens one at its revision.</summary>
[Collection(BrowserSuite.Name)]
public sealed class SearchTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    [Fact(Timeout = 120_000)]
    public async Task SearchingByActor_ListsTheirEvents_ExportsThemToAFileThatVerifies_AndARowOpensTheAccountAtThatRevision()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (actor, accountId, total) = await TellerWhoOpenedAnAccountAsync(cancellation);
        Output.WriteLine($"Searching for {actor}: {total} events, among them the opening of {accountId}.");

        await SignInAsync("carla", "/search", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var rows = Page.Locator("[data-testid=search-row]");
        await RetryUntilAsync($"a search for {actor} to list their events", async () =>
        {
            await Page.Locator("input[data-testid=filter-actor]").FillAsync(actor);
            await Page.Locator("input[data-testid=filter-recorded-from]").FillAsync("");
            await Page.Locator("input[data-testid=filter-actor]").PressAsync("Enter");
            await Expect(Page.Locator("[data-testid=match-count]")).ToHaveTextAsync(Count(total), new() { Timeout = 5_000 });
        }, cancellation);

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"/search\?actor={Uri.EscapeDataString(actor)}&order=desc$"));
        await Expect(rows).ToHaveCountAsync((int)total, new() { Timeout = 5_000 });
        foreach (var cell in await rows.Locator("td:nth-child(5)").AllTextContentsAsync())
            Assert.Equal(actor, cell.Trim());

        // The matches as a CSV export: a file that verifies, of exactly those events, under a header naming the search.
        var download = await Page.RunAndWaitForDownloadAsync(
            () => Page.Locator("[data-testid=export-csv]").ClickAsync(),
            new PageRunAndWaitForDownloadOptions { Timeout = 30_000 });
        var folder = Directory.CreateTempSubdirectory("search-export-");
        try
        {
            var path = Path.Combine(folder.FullName, download.SuggestedFilename);
            await download.SaveAsAsync(path);
            Assert.StartsWith("search_", download.SuggestedFilename, StringComparison.Ordinal);
            VerificationResult result;
            await using (var file = File.OpenRead(path))
                result = ExportVerifier.Verify(file);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(total, result.Count);
            Assert.Contains($"actor={actor}", result.DescribeExport(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        await Page.GetByRole(AriaRole.Link, new() { Name = $"{accountId} at revision 0", Exact = true }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"/accounts/{accountId}\?revision=0$"));
        await Expect(Page.Locator("[data-testid=state-caption]")).ToContainTextAsync("State after revision 0 · ", new() { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=replay-position]")).ToContainTextAsync("0");
    }

    /// <summary>
    /// A teller of the demo data who opened an account (its revision 0, never its latest: demo accounts have 15 events or
    /// more), found through the API: the actor, that account, and how many events the actor wrote in all (a few: tellers'
    /// names are drawn at random, so every row fits on the screen).
    /// </summary>
    private async Task<(string Actor, string AccountId, long Total)> TellerWhoOpenedAnAccountAsync(CancellationToken cancellationToken)
    {
        using var api = App.CreateApiClient();
        using var openings = JsonDocument.Parse(await api.GetStringAsync("api/events/search?type=AccountOpened&limit=500", cancellationToken));
        var opening = openings.RootElement.GetProperty("items").EnumerateArray()
            .First(e => e.GetProperty("actor").GetString()?.StartsWith("teller:", StringComparison.Ordinal) == true);
        var actor = opening.GetProperty("actor").GetString()!;
        using var all = JsonDocument.Parse(await api.GetStringAsync($"api/events/search?actor={Uri.EscapeDataString(actor)}&limit=1", cancellationToken));
        return (actor, opening.GetProperty("accountId").GetString()!, all.RootElement.GetProperty("total").GetInt64());
    }

    private static string Count(long value) => value == 1 ? "1 event" : value.ToString("N0", CultureInfo.InvariantCulture) + " events";
}
