using System.Globalization;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// Looks at account data over the real host: every account API answer is recorded as an access event (the test flushes
/// the app's own recorder rather than wait out its five-minute window), the access log filters them, and only compliance
/// reviewers read the log or who viewed an account.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class AccessLogApiTests(DashboardHost host)
{
    private const string ComplianceKey = CorrectionApiTests.ComplianceKey;
    private const string OperatorKeyName = "api-key:dev-operator";

    private AccessRecorder Recorder => host.Factory.Services.GetRequiredService<AccessRecorder>();

    [Fact(Timeout = 30_000)]
    public async Task AccountApiCalls_AreRecordedAsOneAccountReadPerWindow_WithTheKeysName()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var since = await FlushAsync(cancellationToken);
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");

        foreach (var path in new[] { "", "/state", "/state?revision=1", "/events" })
        {
            using var response = await client.GetAsync($"/api/accounts/{DashboardHost.Bruno}{path}", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(await LooksAsync(new AccessLogFilter(User: OperatorKeyName, AccountId: DashboardHost.Bruno, From: since), cancellationToken));
        await Recorder.FlushAllAsync(cancellationToken);

        var look = Assert.Single(await LooksAsync(new AccessLogFilter(User: OperatorKeyName, AccountId: DashboardHost.Bruno, From: since), cancellationToken));
        Assert.Equal((AccessAction.AccountRead, 4, AccessOutcome.Allowed, "audit-test/1.0"), (look.Action, look.Count, look.Outcome, look.UserAgent));
        Assert.True(look.FirstAt <= look.LastAt);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAccountThatDoesNotExist_IsRecordedAsNotFound_AndARefusedCaller_AsDenied()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var since = await FlushAsync(cancellationToken);
        using var operatorClient = host.CreateClient(DashboardFactory.OperatorKey);
        using var monitorClient = host.CreateClient(DashboardFactory.MonitorKey);

        using var missing = await operatorClient.GetAsync("/api/accounts/NO-SUCH-1/state", cancellationToken);
        using var refused = await monitorClient.GetAsync($"/api/accounts/{DashboardHost.Chloe}/events", cancellationToken);
        await Recorder.FlushAllAsync(cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(AccessOutcome.NotFound, Assert.Single(await LooksAsync(new AccessLogFilter(AccountId: "NO-SUCH-1", From: since), cancellationToken)).Outcome);
        var denied = Assert.Single(await LooksAsync(new AccessLogFilter(User: "api-key:dev-monitor", AccountId: DashboardHost.Chloe, From: since), cancellationToken));
        Assert.Equal((AccessAction.AccountRead, AccessOutcome.Denied), (denied.Action, denied.Outcome));
    }

    [Fact(Timeout = 30_000)]
    public async Task AccessLogEndpoint_FiltersByUserAccountActionAndTime()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var operatorClient = host.CreateClient(DashboardFactory.OperatorKey);
        using var compliance = host.CreateClient(ComplianceKey);
        var before = await FlushAsync(cancellationToken);
        (await operatorClient.GetAsync($"/api/accounts/{DashboardHost.Alice}", cancellationToken)).Dispose();
        (await compliance.GetAsync($"/api/accounts/{DashboardHost.Bruno}", cancellationToken)).Dispose();
        await Recorder.FlushAllAsync(cancellationToken);
        var from = Uri.EscapeDataString(before.ToString("O", CultureInfo.InvariantCulture));

        using var alice = await GetJsonAsync(compliance, $"/api/access-log?account={DashboardHost.Alice}&action=AccountRead&user={OperatorKeyName}&from={from}", cancellationToken);
        using var none = await GetJsonAsync(compliance, $"/api/access-log?account={DashboardHost.Alice}&user=api-key:dev-compliance&from={from}", cancellationToken);
        using var later = await GetJsonAsync(compliance, $"/api/access-log?account={DashboardHost.Alice}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture))}", cancellationToken);

        var items = alice.RootElement.GetProperty("items").EnumerateArray().ToList();
        var access = Assert.Single(items).GetProperty("access");
        Assert.Equal(DashboardHost.Alice, access.GetProperty("accountId").GetString());
        Assert.Equal(OperatorKeyName, access.GetProperty("who").GetString());
        Assert.Equal("AccountRead", access.GetProperty("action").GetString());
        Assert.Equal(1, alice.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(0, none.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(0, later.RootElement.GetProperty("total").GetInt64());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("action=Peeked", "action")]
    [InlineData("account=not%20an%20id", "account")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-12-07T10:00", "to")]
    [InlineData("from=2026-12-07T10:00Z&to=2026-12-06T10:00Z", "to")]
    public async Task AccessLogEndpoint_WithABadFilter_Is400NamingTheField(string query, string field)
    {
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/access-log?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        Assert.Contains(field, error.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(DashboardFactory.OperatorKey)]
    [InlineData(DashboardFactory.MonitorKey)]
    [InlineData(CorrectionApiTests.SupportKey)]
    public async Task WhoViewed_AndTheAccessLog_AreRefusedToAnyOtherRole(string key)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(key);

        using var viewers = await client.GetAsync($"/api/accounts/{DashboardHost.Alice}/viewers", cancellationToken);
        using var log = await client.GetAsync($"/api/access-log?account={DashboardHost.Alice}", cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, viewers.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, log.StatusCode);
        Assert.DoesNotContain("api-key", await viewers.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task WhoViewed_ListsTheLooksAtTheAccount_ForAComplianceReviewer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var operatorClient = host.CreateClient(DashboardFactory.OperatorKey);
        using var compliance = host.CreateClient(ComplianceKey);
        (await operatorClient.GetAsync($"/api/accounts/{DashboardHost.Chloe}/state", cancellationToken)).Dispose();
        await Recorder.FlushAllAsync(cancellationToken);

        using var viewers = await GetJsonAsync(compliance, $"/api/accounts/{DashboardHost.Chloe}/viewers", cancellationToken);

        var items = viewers.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("who").GetString() == OperatorKeyName && i.GetProperty("action").GetString() == "AccountRead");
        Assert.All(items, i => Assert.Equal(DashboardHost.Chloe, i.GetProperty("accountId").GetString()));
    }

    /// <summary>
    /// Appends the looks of earlier tests on this host and returns the time after: a range from it holds only the looks
    /// of the test that asked.
    /// </summary>
    private async Task<DateTimeOffset> FlushAsync(CancellationToken cancellationToken)
    {
        await Recorder.FlushAllAsync(cancellationToken);
        return DateTimeOffset.UtcNow;
    }

    private async Task<List<AccessRecorded>> LooksAsync(AccessLogFilter filter, CancellationToken cancellationToken) =>
        [.. (await AccessLogSearch.SearchAsync(host.Store, filter, 0, 100, cancellationToken)).Items.Select(e => e.Access).OfType<AccessRecorded>()];

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string uri, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
