using AngleSharp.Html.Parser;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// The headers of every response on the shared host: the pages' Content-Security-Policy (scripts only by nonce, no eval),
/// no referrer, powerful browser features off, nothing stored but static files.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class SecurityHeadersTests(DashboardHost host)
{
    [Fact(Timeout = 30_000)]
    public async Task APage_HasAPolicyOfItsOwnOriginWithoutEval_AndEveryInlineScriptCarriesItsNonce()
    {
        using var browser = new BrowserSession(host.CreateClient());
        var cancellationToken = TestContext.Current.CancellationToken;

        using var first = await browser.GetAsync("/login", cancellationToken);
        using var second = await browser.GetAsync("/login", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var policy = ContentSecurityPolicy.Of(first.Headers);
        Assert.Equal(["'self'"], policy["default-src"]);
        Assert.Equal(["'self'", $"'nonce-{policy.ScriptNonce}'"], policy["script-src"]);
        Assert.Equal(["'self'", "'unsafe-inline'"], policy["style-src"]);
        Assert.Equal(["'self'", "data:"], policy["img-src"]);
        Assert.Equal(["'self'"], policy["connect-src"]);
        Assert.Equal(["'none'"], policy["object-src"]);
        Assert.Equal(["'self'"], policy["base-uri"]);
        Assert.Equal(["'self'"], policy["form-action"]);
        Assert.Equal(["'self'"], policy["frame-ancestors"]);
        Assert.DoesNotContain(policy.Names, n => policy[n].Contains("'unsafe-eval'") || policy[n].Contains("*"));
        Assert.True(Convert.FromBase64String(policy.ScriptNonce).Length >= 16);
        Assert.NotEqual(policy.ScriptNonce, ContentSecurityPolicy.Of(second.Headers).ScriptNonce);

        var page = new HtmlParser().ParseDocument(await first.Content.ReadAsStringAsync(cancellationToken));
        var inline = page.Scripts.Where(s => string.IsNullOrEmpty(s.Source)).ToList();
        Assert.Equal(2, inline.Count); // the import map and the time-zone cookie
        Assert.All(inline, s => Assert.Equal(policy.ScriptNonce, s.GetAttribute("nonce")));
        Assert.All(page.Scripts.Where(s => !string.IsNullOrEmpty(s.Source)), s => Assert.False(Uri.IsWellFormedUriString(s.Source, UriKind.Absolute), s.Source));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAccountPage_SignedIn_HasThePolicy_AndIsNeitherStoredNorReferred()
    {
        using var browser = new BrowserSession(host.CreateClient());
        var cancellationToken = TestContext.Current.CancellationToken;
        using (var signIn = await browser.SignInAsync("admin", DashboardFactory.DevPassword, cancellationToken))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await browser.GetAsync($"/accounts/{DashboardHost.Alice}", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["'self'"], ContentSecurityPolicy.Of(response.Headers)["default-src"]);
        AssertNotStoredNorReferred(response);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/api/accounts", HttpStatusCode.OK)]
    [InlineData($"/api/accounts/{DashboardHost.Alice}/events", HttpStatusCode.OK)]
    [InlineData("/api/accounts/NO-SUCH-ACCOUNT", HttpStatusCode.NotFound)]
    [InlineData("/api/accounts?take=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/mirror/status", HttpStatusCode.OK)]
    [InlineData("/health/ready", HttpStatusCode.OK)]
    [InlineData("/login", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/access-denied", HttpStatusCode.OK)]
    public async Task EveryResponse_IsNeitherStoredNorReferred_AndTurnsOffPowerfulFeatures(string url, HttpStatusCode status)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        AssertNotStoredNorReferred(response);
        ContentSecurityPolicy.Of(response.Headers);
    }

    [Fact(Timeout = 30_000)]
    public async Task StaticFiles_KeepTheirOwnCaching()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/app.css", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.CacheControl);
        Assert.False(response.Headers.CacheControl.NoStore, response.Headers.CacheControl.ToString());
    }

    private static void AssertNotStoredNorReferred(HttpResponseMessage response)
    {
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var permissions = Assert.Single(response.Headers.GetValues("Permissions-Policy"));
        foreach (var feature in new[] { "camera", "microphone", "geolocation", "payment", "usb" })
            Assert.Contains($"{feature}=()", permissions, StringComparison.Ordinal);
    }
}
