namespace AuditDashboard.Tests.Auth;

[Collection(SharedDashboardHost.Name)]
public sealed class SignInTests(DashboardHost host)
{
    [Fact(Timeout = 30_000)]
    public async Task SigningInThroughTheLoginForm_SetsTheAuthCookie_WhichOpensTheApi()
    {
        using var browser = new BrowserSession(host.CreateClient());
        var cancellationToken = TestContext.Current.CancellationToken;

        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", BrowserSession.PathAndQuery(signIn.Headers.Location));
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie));
        using var api = await browser.GetAsync("/api/accounts", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task SigningInAfterBeingSentToTheLoginPage_ReturnsToThePageAskedFor()
    {
        using var browser = new BrowserSession(host.CreateClient());
        var cancellationToken = TestContext.Current.CancellationToken;
        using var challenge = await browser.GetAsync($"/accounts/{DashboardHost.Bruno}", cancellationToken);
        var loginUrl = BrowserSession.PathAndQuery(challenge.Headers.Location) ?? throw new Xunit.Sdk.XunitException("No redirect to the login page.");

        using var signIn = await browser.SignInAsync("carla", DashboardFactory.DevPassword, cancellationToken, loginUrl);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal($"/accounts/{DashboardHost.Bruno}", BrowserSession.PathAndQuery(signIn.Headers.Location));
        using var page = await browser.GetAsync($"/accounts/{DashboardHost.Bruno}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task SigningInWithAReturnUrlToAnotherSite_LandsOnTheDashboardInstead(string returnUrl)
    {
        using var browser = new BrowserSession(host.CreateClient());

        using var signIn = await browser.SignInAsync(
            "olivia", DashboardFactory.DevPassword, TestContext.Current.CancellationToken, $"/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", BrowserSession.PathAndQuery(signIn.Headers.Location));
    }

    [Fact(Timeout = 30_000)]
    public async Task SigningInWithAWrongPassword_SetsNoAuthCookie_AndShowsTheLoginFormAgain()
    {
        using var browser = new BrowserSession(host.CreateClient());
        var cancellationToken = TestContext.Current.CancellationToken;

        using var signIn = await browser.SignInAsync("olivia", "not-the-password", cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Null(signIn.Headers.Location);
        Assert.False(browser.HasCookie(BrowserSession.AuthCookie));
        var page = await signIn.Content.ReadAsStringAsync(cancellationToken);
        Assert.Contains("The user name or password is not right.", page, StringComparison.Ordinal);
        Assert.NotNull(BrowserSession.LoginForm(page));
        using var api = await browser.GetAsync("/api/accounts", cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task SigningInAsAnUnknownUser_SetsNoAuthCookie()
    {
        using var browser = new BrowserSession(host.CreateClient());

        using var signIn = await browser.SignInAsync("mallory", DashboardFactory.DevPassword, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.False(browser.HasCookie(BrowserSession.AuthCookie));
    }

    [Fact(Timeout = 30_000)]
    public async Task ARequestWithACookieAndAnApiKey_IsJudgedByTheKeyAlone()
    {
        using var browser = new BrowserSession(host.CreateClient(DashboardFactory.MonitorKey));
        var cancellationToken = TestContext.Current.CancellationToken;
        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie));

        using var api = await browser.GetAsync("/api/accounts", cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }
}
