using System.Net.Http.Json;
using AuditDashboard.Adapters.Embedded;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

[Collection(BrowserSuite.Name)]
public sealed class AccountPageTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>One of the demo accounts ACC-100001…ACC-100050 seeded on the app's first start.</summary>
    private const string DemoAccount = "ACC-100042";

    [Fact(Timeout = 120_000)]
    public async Task Operator_SignsIn_OpensAnAccount_AndSeesAnEventsMetadata()
    {
        var cancellation = TestContext.Current.CancellationToken;

        await GoToAsync("accounts", cancellation);
        Assert.Equal("/login", new Uri(Page.Url).AbsolutePath);
        await Page.Locator("#username").FillAsync("olivia");
        await Page.Locator("#password").FillAsync(Password);
        await Page.Locator("form button[type=submit]").ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts").WaitAsync(cancellation);
        await Expect(Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Accounts", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=signed-in-user]")).ToContainTextAsync("Olivia Operator");
        await SearchAccountsUntilInteractiveAsync(DemoAccount, cancellation);

        await Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = DemoAccount, Exact = true }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts/" + DemoAccount).WaitAsync(cancellation);
        await Expect(Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = DemoAccount, Level = 1 })).ToBeVisibleAsync();
        var revision = await NewestShownRevisionAsync();
        var details = await ExpandEventAsync(revision, cancellation);

        var metadata = details.Locator("[data-testid=event-metadata]");
        await Expect(metadata).ToContainTextAsync("\"actor\"");
        await Expect(metadata).ToContainTextAsync("\"reason\"");
        await Expect(details).ToContainTextAsync("account-" + DemoAccount);
        var screenshot = await SaveScreenshotAsync("account-event-metadata");
        Output.WriteLine($"Screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 0, $"The screenshot {screenshot} is empty.");
    }

    /// <summary>
    /// The list keeps its page and search in the address: opening an account from it adds one history entry, and Back
    /// returns to the same page of the same list.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task OpeningAnAccountFromTheList_AddsOneHistoryEntry_AndBackReturnsToTheSamePage()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", "/accounts", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var firstRow = Page.Locator("[data-testid=accounts-table] tbody tr td[data-label=Account] a").First;
        await Expect(firstRow).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var onPageOne = await firstRow.TextContentAsync();

        // The pager answers once the table has its first page: the click is tried again until the address follows.
        await RetryUntilAsync("the list to turn to page 2", async () =>
        {
            await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Next page" }).ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Page.WaitForURLAsync(url => new Uri(url).Query.Contains("page=2", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 5_000 });
        }, cancellation);
        // The address is written as the page is read: wait for its rows.
        await Expect(firstRow).Not.ToHaveTextAsync(onPageOne!, new() { Timeout = 15_000 });
        var onPageTwo = await firstRow.TextContentAsync();
        var entries = await Page.EvaluateAsync<int>("() => history.length");

        // Anywhere on the row opens the account (its middle here, the owner's cell), through the row's link: one navigation.
        // A click while the page turn is still being written to the address can be lost: it is tried again.
        await RetryUntilAsync("the account to open from its row", async () =>
        {
            if (new Uri(Page.Url).AbsolutePath == "/accounts/" + onPageTwo)
                return;
            await Page.Locator("[data-testid=accounts-table] tbody tr").First.ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts/" + onPageTwo, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 5_000 });
        }, cancellation);
        await Expect(Page.Locator("[data-testid=balance]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(entries + 1, await Page.EvaluateAsync<int>("() => history.length"));

        await Page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit });
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts" && new Uri(url).Query.Contains("page=2", StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit }).WaitAsync(cancellation);
        await Expect(firstRow).ToHaveTextAsync(onPageTwo!, new() { Timeout = 15_000 });

        // A search is kept the same way.
        await GoToAsync("accounts?search=ACC-10001", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator(".search-box input")).ToHaveValueAsync("ACC-10001", new() { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=account-count]")).ToContainTextAsync("match “ACC-10001”", new() { Timeout = 15_000 });
        await Expect(firstRow).ToHaveTextAsync("ACC-100010");
    }

    [Fact(Timeout = 60_000)]
    public async Task UnknownAccountUrl_ShowsAccountNotFound()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("sam", "/accounts", cancellation);

        // Asked for without the browser first: Chromium replaces an empty error answer by its own error page.
        var answer = await Page.Context.APIRequest.GetAsync("accounts/ACC-999999").WaitAsync(cancellation);
        var body = await answer.TextAsync();
        Assert.True(
            body.Contains("Account not found", StringComparison.Ordinal),
            $"GET /accounts/ACC-999999 answered {answer.Status} with {body.Length} characters of body, without 'Account not found'.");
        await GoToAsync("accounts/ACC-999999", cancellation);

        await Expect(Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Account not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=account-not-found]")).ToContainTextAsync("There is no account “ACC-999999” in the ledger.");
    }

    /// <summary>"/" goes to the accounts list's search field from a page without one, "g a" opens the list from anywhere.</summary>
    [Fact(Timeout = 120_000)]
    public async Task SlashGoesToTheAccountSearch_AndGThenAOpensTheAccountsList_FromTheKeyboardAlone()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", "/accounts/" + DemoAccount, cancellation);
        await WaitForInteractiveAsync(cancellation);
        var search = Page.GetByPlaceholder("Search by account id or owner");

        await Page.Keyboard.PressAsync("/");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts").WaitAsync(cancellation);

        // The router focuses the new page's heading once it has rendered; the field takes the focus back and keeps it.
        await Expect(search).ToBeFocusedAsync();
        await Page.WaitForTimeoutAsync(500);
        await Expect(search).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("g a");
        await Expect(search).ToHaveValueAsync("g a");

        await GoToAsync("mirror", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Page.Keyboard.PressAsync("g");
        await Page.Keyboard.PressAsync("a");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts").WaitAsync(cancellation);
        await Expect(Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Accounts", Level = 1 })).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("/");
        await Expect(search).ToBeFocusedAsync();
    }

    [Fact(Timeout = 90_000)]
    public async Task AccountPage_WhenAnotherWriterAppends_ShowsTheNewEventAndBalance()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var account = await PickOpenAccountAsync(cancellation);
        var revision = account.Revision ?? throw new InvalidOperationException($"{account.AccountId} has no revision.");
        var currency = account.Currency ?? throw new InvalidOperationException($"{account.AccountId} has no currency.");
        await SignInAsync("carla", "/accounts/" + account.AccountId, cancellation);
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(Currencies.Format(account.Balance, currency));
        // Expanding waits for the live circuit, so the page is subscribed before the append.
        await ExpandEventAsync(revision, cancellation);
        await Expect(Page.Locator("[data-testid=live]")).ToBeVisibleAsync();

        const decimal amount = 125m;
        await AppendDepositAsync(account.AccountId, revision, amount, currency, cancellation);

        var bounded = new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 };
        await Expect(Page.Locator($"[data-testid='expand-{revision + 1}']")).ToBeVisibleAsync(bounded);
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(
            Currencies.Format(account.Balance + amount, currency), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        var newRow = Page.Locator("[data-testid=timeline] tbody tr").Filter(new LocatorFilterOptions { Has = Page.Locator($"[data-testid='expand-{revision + 1}']") });
        await Expect(newRow).ToContainTextAsync("FundsDeposited");
        await Expect(newRow).ToContainTextAsync("e2e:live-update");
        await Expect(Page.Locator($"[data-testid='expand-{revision}']")).ToHaveAttributeAsync("aria-expanded", "true");
    }

    /// <summary>An open demo account other than the one the sign-in test opens, with its state as the API reports it.</summary>
    private async Task<ApiAccount> PickOpenAccountAsync(CancellationToken cancellationToken)
    {
        using var api = App.CreateApiClient();
        var list = await api.GetFromJsonAsync<ApiAccountList>("api/accounts?take=100", cancellationToken)
            ?? throw new InvalidOperationException("GET /api/accounts answered nothing.");
        return list.Items.LastOrDefault(a => a is { Status: "Open", Currency: not null, Revision: not null } && a.AccountId != DemoAccount)
            ?? throw new InvalidOperationException($"No open demo account among {list.Total}.\n{App.Process.Describe()}");
    }

    /// <summary>Appends through a second store on the app's SQLite file, as another process would; the app finds it by polling.</summary>
    private async Task AppendDepositAsync(string accountId, long expectedRevision, decimal amount, string currency, CancellationToken cancellationToken)
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={App.DatabasePath}"));
        await store.InitializeAsync(cancellationToken);
        var deposit = AccountEventCodec.Encode(
            Guid.NewGuid(),
            new FundsDeposited(amount, currency, "TRX-E2E-LIVE"),
            new EventMetadata("e2e:live-update", "Deposit appended by the end-to-end test", Guid.NewGuid().ToString("N"), null, "end-to-end-tests"));
        await store.AppendAsync(AccountIds.StreamOf(accountId), ExpectedRevision.Exact(expectedRevision), [deposit], cancellationToken);
    }
}
