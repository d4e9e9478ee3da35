using AngleSharp.Html.Parser;

namespace AuditDashboard.Tests.Pages;

/// <summary>The server checks the Search page's policy before it renders anything: Support may not search.</summary>
[Collection(SharedDashboardHost.Name)]
public sealed class SearchPageAuthorizationTests(DashboardHost host)
{
    [Fact(Timeout = 30_000)]
    public async Task OpeningTheSearchPage_AsSupport_IsRefused()
    {
        using var browser = await SignedInAsync("sam", TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync("/search?actor=olivia", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", BrowserSession.PathAndQuery(response.Headers.Location), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("olivia")]
    [InlineData("carla")]
    public async Task OpeningTheSearchPage_AsOperatorOrComplianceReviewer_ShowsTheMatches(string user)
    {
        using var browser = await SignedInAsync(user, TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync("/search?reference=SAL-2", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Search events", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("1 event", page.QuerySelector("[data-testid=match-count]")?.TextContent.Trim());
    }

    private async Task<BrowserSession> SignedInAsync(string user, CancellationToken cancellationToken)
    {
        var browser = new BrowserSession(host.CreateClient());
        using var signIn = await browser.SignInAsync(user, DashboardFactory.DevPassword, cancellationToken);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie), $"Signing in as {user} answered {(int)signIn.StatusCode} and set no auth cookie.");
        return browser;
    }
}
