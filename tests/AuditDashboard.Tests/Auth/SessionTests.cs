using System.Diagnostics;

namespace AuditDashboard.Tests.Auth;

/// <summary>
/// A sign-in is a session the server keeps: signing out ends it everywhere (a copy of the cookie is worth nothing
/// afterwards), only the dashboard's own sign-out form can end it, and it ends by itself at its absolute lifetime.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class SessionTests(DashboardHost host)
{
    [Fact(Timeout = 30_000)]
    public async Task ACookieCopiedBeforeSignOut_IsRefusedAfterwards_401OnTheApi_AndTheLoginPageForPages()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSession(host.CreateClient());
        using (var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var copied = browser.CookieHeader;
        using var client = host.CreateClient();
        using (var before = await GetWithCookiesAsync(client, "/api/accounts", copied, cancellationToken))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var signOut = await browser.SignOutAsync(cancellationToken);
        using var api = await GetWithCookiesAsync(client, "/api/accounts", copied, cancellationToken);
        using var page = await GetWithCookiesAsync(client, "/accounts", copied, cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", BrowserSession.PathAndQuery(signOut.Headers.Location));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Faccounts", BrowserSession.PathAndQuery(page.Headers.Location));
    }

    [Fact(Timeout = 30_000)]
    public async Task ASignOutPostedWithoutTheAntiforgeryToken_IsRefused_AndTheSessionLives()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSession(host.CreateClient());
        using (var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // What a form on another site can send: the browser adds the cookies, but the page's token is out of its reach.
        using var forged = await browser.PostFormAsync("/logout", new Dictionary<string, string>(), cancellationToken);
        using var api = await browser.GetAsync("/api/accounts", cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task SingleSignOn_WhenNotConfigured_IsNotFound()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/login/sso?returnUrl=%2Faccounts", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task ASessionInUse_EndsAtItsAbsoluteLifetime()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var lifetime = TimeSpan.FromSeconds(3);
        await using var dashboard = await OwnDashboard.StartAsync(
            new Dictionary<string, string?> { ["Auth:Session:AbsoluteLifetime"] = "00:00:03" }, cancellationToken);
        using var browser = new BrowserSession(dashboard.CreateClient());
        var clock = Stopwatch.StartNew();
        using (var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // Used every half second, so the sliding expiry alone would keep it alive for hours.
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && clock.Elapsed < lifetime * 4)
        {
            using var api = await browser.GetAsync("/api/accounts", cancellationToken);
            status = api.StatusCode;
            if (status == HttpStatusCode.OK)
                await Task.Delay(500, cancellationToken);
        }

        using var page = await browser.GetAsync("/accounts", cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed >= lifetime, $"The session ended after {clock.Elapsed.TotalSeconds:0.0} s, before its lifetime.");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", BrowserSession.PathAndQuery(page.Headers.Location), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetWithCookiesAsync(HttpClient client, string url, string cookies, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookies);
        return await client.SendAsync(request, cancellationToken);
    }
}
