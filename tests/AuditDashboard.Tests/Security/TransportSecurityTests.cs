using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// HTTPS in Production, also behind a TLS-terminating proxy: the app sees plain HTTP from the proxy and believes its
/// X-Forwarded-Proto only when the proxy is configured as known (ForwardedHeaders:KnownProxies). A request the app takes
/// for HTTPS gets HSTS; cookies are Secure either way. Also the form-action of the policy when single sign-on is on.
/// </summary>
public sealed class TransportSecurityTests : IAsyncLifetime
{
    private const string User = "eve";
    private const string Password = "a-long-production-password";
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    private readonly TempFolder _folder = new();
    private readonly List<WebApplicationFactory<Program>> _factories = [];

    public async ValueTask InitializeAsync()
    {
        // The store file exists, as it does in Production once it was created.
        await using var store = await Ledger.OpenStoreAsync(_folder, TestContext.Current.CancellationToken);
        await Ledger.OpenAsync(store, "TLS-0001", "Tessa Transport", "EUR", 10m, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 60_000)]
    public async Task InProduction_BehindAKnownProxy_ARequestMadeOverHttps_GetsHsts_AndTheSignInCookieIsSecure()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var factory = Production(knownProxies: Proxy.ToString());
        using var browser = new BrowserSession(ThroughProxy(factory, from: Proxy));

        using var page = await browser.GetAsync("/login", cancellationToken);
        using var signIn = await browser.SignInAsync(User, Password, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var authCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(BrowserSession.AuthCookie + "=", StringComparison.Ordinal));
        Assert.Contains("; secure", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.True(signIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact(Timeout = 60_000)]
    public async Task InProduction_AForwardedProtoFromAnAddressThatIsNoKnownProxy_IsIgnored()
    {
        var factory = Production(knownProxies: Proxy.ToString());
        using var client = ThroughProxy(factory, from: IPAddress.Parse("203.0.113.7"));

        using var page = await client.GetAsync("/login", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact(Timeout = 60_000)]
    public async Task InProduction_WithoutAConfiguredProxy_NoForwardedHeaderIsBelieved_NotEvenFromLoopback()
    {
        var factory = Production(knownProxies: null);
        using var client = ThroughProxy(factory, from: IPAddress.Loopback);

        using var page = await client.GetAsync("/login", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact(Timeout = 60_000)]
    public async Task WithSingleSignOn_FormsMayAlsoPostToTheProvider()
    {
        var factory = Track(new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            ["Auth:Oidc:Authority"] = "https://id.example.com:8443/realms/audit",
            ["Auth:Oidc:ClientId"] = "audit-dashboard",
        }));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await client.GetAsync("/login", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(["'self'", "https://id.example.com:8443"], ContentSecurityPolicy.Of(page.Headers)["form-action"]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories)
            await factory.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The app in Production, with one local user and, when given, the proxies it trusts.</summary>
    private WebApplicationFactory<Program> Production(string? knownProxies) =>
        Track(new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            [$"Auth:Users:{User}:PasswordHash"] = LocalUserDirectory.HashPassword(Password),
            [$"Auth:Users:{User}:Roles"] = "Operator",
            ["ForwardedHeaders:KnownProxies"] = knownProxies,
            [TestSigningKey.Setting] = TestSigningKey.Path,
        }).WithWebHostBuilder(builder => builder.UseEnvironment(Environments.Production)));

    /// <summary>
    /// A browser's view through a TLS-terminating proxy: the browser speaks HTTPS to https://audit.example, the proxy passes the
    /// request on over plain HTTP from <paramref name="from"/> with <c>X-Forwarded-Proto: https</c>.
    /// </summary>
    private static HttpClient ThroughProxy(WebApplicationFactory<Program> factory, IPAddress from)
    {
        var handler = factory.Server.CreateHandler(context =>
        {
            context.Request.Scheme = "http";
            context.Connection.RemoteIpAddress = from;
        });
        var client = new HttpClient(handler) { BaseAddress = new Uri("https://audit.example/"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.23");
        return client;
    }

    private WebApplicationFactory<Program> Track(WebApplicationFactory<Program> factory)
    {
        _factories.Add(factory);
        return factory;
    }
}
