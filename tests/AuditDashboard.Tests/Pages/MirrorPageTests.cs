using AngleSharp.Html.Parser;

namespace AuditDashboard.Tests.Pages;

/// <summary>The <c>/mirror</c> page as the server renders it (before any interactivity), on the shared host.</summary>
[Collection(SharedDashboardHost.Name)]
public sealed class MirrorPageTests(DashboardHost host)
{
    private static readonly string[] States = ["Running", "Retrying", "Stopped", "Starting"];

    [Fact(Timeout = 30_000)]
    public async Task OpeningTheMirrorPage_Unauthenticated_RedirectsToTheLoginPage()
    {
        using var browser = new BrowserSession(host.CreateClient());

        using var response = await browser.GetAsync("/mirror", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fmirror", BrowserSession.PathAndQuery(response.Headers.Location));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("olivia")]
    [InlineData("sam")]
    [InlineData("carla")]
    public async Task OpeningTheMirrorPage_SignedIn_ShowsTheMirrorOnTheTestCluster(string userName)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = await SignedInAsync(userName, cancellationToken);

        using var response = await browser.GetAsync("/mirror", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal("Kafka mirror", document.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("in-memory test cluster — not durable", document.QuerySelector("[data-testid='test-cluster']")?.TextContent.Trim());
        Assert.Contains(document.QuerySelector("[data-testid='mirror-state']")?.TextContent.Trim(), States);
        Assert.NotNull(document.QuerySelector("[data-testid='mirror-position']"));
        Assert.NotNull(document.QuerySelector("[data-testid='mirror-lag']"));
        Assert.NotNull(document.QuerySelector("[data-testid='parked-table']"));
        Assert.NotNull(document.QuerySelector("[data-testid='reconcile-account']"));
        Assert.Contains("account-events", document.Body?.TextContent, StringComparison.Ordinal);
    }

    private async Task<BrowserSession> SignedInAsync(string userName, CancellationToken cancellationToken)
    {
        var browser = new BrowserSession(host.CreateClient());
        using var signIn = await browser.SignInAsync(userName, DashboardFactory.DevPassword, cancellationToken);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie), $"Signing in as {userName} answered {(int)signIn.StatusCode} and set no auth cookie.");
        return browser;
    }
}
