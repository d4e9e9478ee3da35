using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Four eyes in the browser: a Support user's large adjustment becomes a proposal that leaves the balance alone; the
/// proposer cannot approve it; a second Support user approves it on the Pending corrections page, and the balance moves.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class FourEyesTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>Demo accounts no other browser test opens; the first open one is used.</summary>
    private static readonly string[] Candidates = ["ACC-100033", "ACC-100034", "ACC-100035", "ACC-100036", "ACC-100037"];

    private static readonly LocatorAssertionsToBeVisibleOptions Bounded = new() { Timeout = 15_000 };

    [Fact(Timeout = 180_000)]
    public async Task LargeAdjustment_IsProposed_ThenApprovedByASecondSupportUser_AndOnlyThenMovesTheBalance()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient(AppCommand.SupportApiKey);
        var account = await FirstOpenAccountAsync(api, cancellation);
        var currency = account.Currency!;

        // Twice the configured threshold (10,000 by default, 1,500,000 for JPY), so it needs approval in any currency.
        var amount = currency == "JPY" ? 3_000_000m : 25_000m;
        var before = account.Balance;
        var proposalRevision = account.Revision!.Value + 1;

        await SignInAsync("sam", $"/accounts/{account.AccountId}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var reason = Page.Locator("[data-testid=correction-reason]");
        await RetryUntilAsync("the adjustment dialog to open", async () =>
        {
            if (await reason.CountAsync() == 0)
                await Page.Locator("[data-testid=adjust-balance]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(reason).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Page.Locator("[data-testid=correction-amount]").FillAsync(amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await reason.FillAsync("Goodwill credit agreed by the branch manager (end-to-end test)");
        await Expect(Page.Locator("[data-testid=approval-needed]")).ToBeVisibleAsync(Bounded);
        var post = Page.Locator("[data-testid=correction-post]");
        await Expect(post).ToHaveTextAsync("Propose adjustment");
        await post.ClickAsync();

        // A proposal: written and badged, the balance unchanged.
        await Expect(Page.Locator("[data-testid=correction-dialog]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        var proposalRow = Row(proposalRevision);
        await Expect(proposalRow.Locator("[data-testid=proposal-badge]")).ToBeVisibleAsync(Bounded);
        await Expect(proposalRow.Locator("[data-testid=proposal-pending]")).ToHaveTextAsync("Awaiting approval");
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(Currencies.Format(before, currency));
        var proposal = await SingleProposalAsync(api, account.AccountId, cancellation);
        Assert.Equal("sam", proposal.GetProperty("proposedBy").GetString());
        Assert.Equal(amount, proposal.GetProperty("amount").GetDecimal());
        var proposalId = proposal.GetProperty("proposalId").GetGuid();

        // The proposer sees it waiting, and cannot approve it.
        await GoToAsync("corrections/pending", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=nav-pending]")).ToBeVisibleAsync(Bounded);
        var approve = Page.Locator($"[data-testid='approve-{proposalId}']");
        await Expect(approve).ToBeVisibleAsync(Bounded);
        await Expect(approve).ToBeDisabledAsync();
        await Expect(Page.Locator($"[data-testid='reject-{proposalId}']")).ToHaveTextAsync("Withdraw");

        // A second Support user approves it, with the preview of the balance after.
        await Page.Context.ClearCookiesAsync();
        await SignInAsync("sara", "/corrections/pending", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(approve).ToBeEnabledAsync(new LocatorAssertionsToBeEnabledOptions { Timeout = 15_000 });
        var preview = Page.Locator("[data-testid=correction-preview]");
        await RetryUntilAsync("the approval dialog to open", async () =>
        {
            if (await preview.CountAsync() == 0)
                await approve.ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(preview).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        var recorded = preview.Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "As recorded" });
        await Expect(recorded.Locator("td").Nth(2)).ToHaveTextAsync(Currencies.Format(before + amount, currency));
        await Page.Locator("[data-testid=decision-note]").FillAsync("Checked against the manager's email");
        await Page.Locator("[data-testid=decision-confirm]").ClickAsync();
        await Expect(Page.Locator("[data-testid=decision-dialog]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Expect(approve).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });

        // The approval and the correction, one after the other; the balance moved by the amount.
        var now = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{account.AccountId}", cancellation);
        Assert.NotNull(now);
        Assert.Equal(before + amount, now.Balance);
        Assert.Equal(proposalRevision + 2, now.Revision);
        using var events = JsonDocument.Parse(await api.GetStringAsync($"api/accounts/{account.AccountId}/events?fromRevision={proposalRevision + 1}", cancellation));
        var written = events.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["CorrectionApproved", "BalanceCorrected"], written.Select(e => e.GetProperty("eventType").GetString()));
        Assert.Equal("sara", written[0].GetProperty("metadata").GetProperty("actor").GetString());
        Assert.Equal("Checked against the manager's email", written[0].GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal("sam", written[1].GetProperty("metadata").GetProperty("actor").GetString());
        Assert.Equal("sara", written[1].GetProperty("metadata").GetProperty("approvedBy").GetString());

        // The account page shows the decision on the proposal, and the new balance.
        await GoToAsync($"accounts/{account.AccountId}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(Currencies.Format(before + amount, currency), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Expect(Row(proposalRevision).Locator("[data-testid=proposal-decision]")).ToHaveTextAsync($"Approved in rev {proposalRevision + 1}");
        await Expect(Row(proposalRevision + 1).Locator("[data-testid=approval-badge]")).ToBeVisibleAsync(Bounded);
        await Expect(Row(proposalRevision + 2).Locator("[data-testid=correction-badge]")).ToBeVisibleAsync(Bounded);
    }

    [Fact(Timeout = 90_000)]
    public async Task Operator_HasNoPendingCorrectionsLink_AndIsTurnedAwayFromThePage()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", "/accounts", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Accounts" })).ToBeVisibleAsync(Bounded);
        await Expect(Page.Locator("[data-testid=nav-pending]")).ToHaveCountAsync(0);

        await GoToAsync("corrections/pending", cancellation);
        await Expect(Page.Locator("[data-testid=pending-table]")).ToHaveCountAsync(0);

        // The notice names the role this page needs, not every role there is.
        await Expect(Page.Locator("[data-testid=access-denied]")).ToContainTextAsync("This page needs the Support role", new() { Timeout = 15_000 });
    }

    private ILocator Row(long revision) =>
        Page.Locator("[data-testid=timeline] tbody tr").Filter(new LocatorFilterOptions { Has = Page.Locator($"[data-revision='{revision}']") });

    private static async Task<ApiAccount> FirstOpenAccountAsync(HttpClient api, CancellationToken cancellationToken)
    {
        foreach (var id in Candidates)
        {
            var account = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{id}", cancellationToken);
            if (account is { Status: "Open", Currency: not null, Revision: not null })
                return account;
        }

        throw new InvalidOperationException("None of the demo accounts " + string.Join(", ", Candidates) + " is open.");
    }

    /// <summary>The account's one pending proposal, polled briefly: the list is a read model fed by the ledger feed.</summary>
    private static async Task<JsonElement> SingleProposalAsync(HttpClient api, string accountId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var list = JsonDocument.Parse(await api.GetStringAsync($"api/proposals?account={accountId}", cancellationToken));
            var items = list.RootElement.GetProperty("items").EnumerateArray().ToList();
            if (items.Count > 0 || attempt == 50)
                return Assert.Single(items).Clone();
            await Task.Delay(100, cancellationToken);
        }
    }
}
