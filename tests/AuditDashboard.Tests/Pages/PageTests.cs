using AngleSharp.Html.Parser;

namespace AuditDashboard.Tests.Pages;

[Collection(SharedDashboardHost.Name)]
public sealed class PageTests(DashboardHost host)
{
    [Fact(Timeout = 30_000)]
    public async Task OpeningTheAccountsPage_Unauthenticated_RedirectsToTheLoginPage()
    {
        using var browser = new BrowserSession(host.CreateClient());

        using var response = await browser.GetAsync("/accounts", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Faccounts", BrowserSession.PathAndQuery(response.Headers.Location));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("UNKNOWN-ID", "There is no account “UNKNOWN-ID” in the ledger.")]
    [InlineData("bad*id", "“bad*id” is not a valid account id")]
    public async Task OpeningAnUnknownAccount_SignedIn_SaysAccountNotFound(string accountId, string message)
    {
        using var browser = await SignedInAsync(TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync($"/accounts/{accountId}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Account not found", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains(message, page.QuerySelector("[data-testid='account-not-found']")?.TextContent, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task OpeningAnAddressThatIsNoPage_SignedIn_ShowsTheNotFoundPage()
    {
        using var browser = await SignedInAsync(TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync("/no-such-page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Page not found", page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task OpeningAKnownAccount_SignedIn_ShowsItsBalanceStatusAndTimeline()
    {
        using var browser = await SignedInAsync(TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync($"/accounts/{DashboardHost.Alice}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("300.25 EUR", document.QuerySelector("[data-testid='balance']")?.TextContent.Trim());
        Assert.Equal("Frozen", document.QuerySelector("[data-testid='status']")?.TextContent.Trim());
        Assert.NotNull(document.QuerySelector("[data-testid='timeline']"));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthChecks_AnswerAnonymously_With200(string url)
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<BrowserSession> SignedInAsync(CancellationToken cancellationToken)
    {
        var browser = new BrowserSession(host.CreateClient());
        using var signIn = await browser.SignInAsync("sam", DashboardFactory.DevPassword, cancellationToken);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie), $"Signing in as sam answered {(int)signIn.StatusCode} and set no auth cookie.");
        return browser;
    }
}
