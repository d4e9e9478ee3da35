using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

/// <summary><c>GET /api/reports/corrections</c> and the report page on the shared host: who may read them, and bad periods.</summary>
[Collection(SharedDashboardHost.Name)]
public sealed class CorrectionsReportApiTests(DashboardHost host)
{
    private const string SupportKey = "dev-support-key-2b8e41";
    private const string ComplianceKey = "dev-compliance-key-c05d6e";

    [Fact(Timeout = 30_000)]
    public async Task Report_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/api/reports/corrections?from=2026-01-01&to=2026-01-31", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(DashboardFactory.OperatorKey)]
    [InlineData(DashboardFactory.MonitorKey)]
    public async Task Report_ByARoleOtherThanSupportOrComplianceReviewer_Answers403(string apiKey)
    {
        using var client = host.CreateClient(apiKey);

        using var response = await client.GetAsync("/api/reports/corrections?from=2026-01-01&to=2026-01-31", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(SupportKey)]
    [InlineData(ComplianceKey)]
    public async Task Report_OfAPeriodBeforeTheLedger_IsAllZeros_WithItsPeriodAndBuckets(string apiKey)
    {
        using var client = host.CreateClient(apiKey);

        using var json = await GetJsonAsync(client, "/api/reports/corrections?from=2001-01-01&to=2001-01-31", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), root.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2001, 2, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), root.GetProperty("to").GetDateTimeOffset());
        Assert.Equal("day", root.GetProperty("bucket").GetString());
        Assert.Equal(0, root.GetProperty("corrections").GetInt64());
        Assert.Empty(root.GetProperty("byActor").EnumerateArray());
        Assert.Equal(0, root.GetProperty("fourEyes").GetProperty("proposed").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("fourEyes").GetProperty("medianSecondsToDecision").ValueKind);
        Assert.Equal(31, root.GetProperty("buckets").GetArrayLength());
        Assert.True(root.GetProperty("complete").GetBoolean());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("to=2026-01-31", "from")]
    [InlineData("from=2026-01-01", "to")]
    [InlineData("from=yesterday&to=2026-01-31", "from")]
    [InlineData("from=2026-01-01&to=2026-13-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-31", "to")]
    public async Task BadPeriod_Answers400NamingTheField(string query, string field)
    {
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/reports/corrections?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal([field], problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReportPage_ForAnOperator_IsRefusedOnTheServer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSession(host.CreateClient());
        using (var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken))
            Assert.True(browser.HasCookie(BrowserSession.AuthCookie));

        using var response = await browser.GetAsync("/reports/corrections", cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", BrowserSession.PathAndQuery(response.Headers.Location), StringComparison.Ordinal);
        Assert.DoesNotContain("period-picker", await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReportPage_ForAComplianceReviewer_IsServed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSession(host.CreateClient());
        using (var signIn = await browser.SignInAsync("carla", DashboardFactory.DevPassword, cancellationToken))
            Assert.True(browser.HasCookie(BrowserSession.AuthCookie));

        using var response = await browser.GetAsync("/reports/corrections?period=last-month", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"period-picker\"", await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }
}
