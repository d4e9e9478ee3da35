using System.Text.Json.Nodes;
using AuditDashboard.Tests.Api;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// Request bodies on a real Kestrel server: a command (a POST under /api) takes at most 64 KB by default, any other request
/// the server's limit; a larger body is answered 413 with a problem document, never a 500, and nothing is written.
/// </summary>
public sealed class RequestBodyLimitTests(KestrelDashboardHost host) : IClassFixture<KestrelDashboardHost>
{
    private const string SupportKey = CorrectionApiTests.SupportKey;
    private const string ApproverKey = "dev-approver-key-6d4c18";
    private const string Reason = "Deposit recorded twice by the gateway";
    private const int HundredMegabytes = 100 * 1024 * 1024;

    [Theory(Timeout = 120_000)]
    [InlineData(HundredMegabytes, true)]
    [InlineData(HundredMegabytes, false)]
    [InlineData(10 * 1024 * 1024, true)]
    [InlineData(70_000, true)]
    [InlineData(70_000, false)]
    public async Task ACorrectionOverTheCommandLimit_Is413WithAProblem_AndNothingIsWritten(int bytes, bool announceLength)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await RevisionAsync(cancellationToken);

        using var content = new PaddedJson(Adjustment(before), bytes, announceLength);
        var answer = await PostAsync($"/api/accounts/{KestrelDashboardHost.Account}/corrections", content, SupportKey, cancellationToken);

        AssertTooLarge(answer, "65,536");
        Assert.Equal(before, await RevisionAsync(cancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task ACorrectionJustUnderTheCommandLimit_IsWritten()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await RevisionAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);

        using var content = new PaddedJson(Adjustment(before), 60_000);
        using var response = await client.PostAsync($"/api/accounts/{KestrelDashboardHost.Account}/corrections", content, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(before + 1, await RevisionAsync(cancellationToken));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task ADecisionOverTheCommandLimit_Is413_AndTheProposalStaysPending(string decision)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var proposalId = await ProposeReversalAsync(cancellationToken);
        var before = await RevisionAsync(cancellationToken);
        var body = new JsonObject { ["commandId"] = Guid.NewGuid(), ["reason"] = "Checked with the gateway's statement" };

        using var content = new PaddedJson(body, 100_000);
        var answer = await PostAsync($"/api/accounts/{KestrelDashboardHost.Account}/proposals/{proposalId}/{decision}", content, ApproverKey, cancellationToken);

        AssertTooLarge(answer, "65,536");
        Assert.Equal(before, await RevisionAsync(cancellationToken));
        Assert.Contains(proposalId, await PendingProposalsAsync(cancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReplayingParkedEvents_WithABodyOverTheCommandLimit_Is413()
    {
        using var content = new PaddedJson(new JsonObject(), 100_000);
        var answer = await PostAsync("/api/mirror/parked/replay", content, SupportKey, TestContext.Current.CancellationToken);

        AssertTooLarge(answer, "65,536");
    }

    [Fact(Timeout = 60_000)]
    public async Task TheCommandLimit_IsASetting()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        await using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            ["RequestLimits:CommandBodyBytes"] = "2048",
        });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", SupportKey);
        const string Url = "/api/accounts/NO-SUCH-ACCOUNT/corrections";

        using var over = new PaddedJson(Adjustment(0), 2_049);
        using var tooLarge = await client.PostAsync(Url, over, cancellationToken);
        using var under = new PaddedJson(Adjustment(0), 2_048);
        using var read = await client.PostAsync(Url, under, cancellationToken);

        AssertTooLarge((int)tooLarge.StatusCode, tooLarge.Content.Headers.ContentType?.MediaType, await tooLarge.Content.ReadAsStringAsync(cancellationToken), "2,048");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("POST", "/login")]
    [InlineData("POST", "/logout")]
    [InlineData("POST", "/accounts")]
    [InlineData("PUT", "/no-such-page")]
    [InlineData("GET", "/api/accounts")]
    public async Task AHundredMegabyteBody_OnAnyOtherRoute_Is413_Not500(string method, string path)
    {
        using var content = new PaddedJson(new JsonObject(), HundredMegabytes);
        var answer = await RawHttp.SendAsync(
            host.BaseAddress, method, path, content, new Dictionary<string, string> { ["X-Api-Key"] = DashboardFactory.OperatorKey }, TestContext.Current.CancellationToken);

        AssertTooLarge(answer, "30,000,000");
    }

    /// <summary>Posts over a plain socket to the Kestrel host, as curl would: the answer is heard even when the upload is cut.</summary>
    private Task<RawHttp.Answer> PostAsync(string path, HttpContent content, string apiKey, CancellationToken cancellationToken) =>
        RawHttp.SendAsync(host.BaseAddress, "POST", path, content, new Dictionary<string, string> { ["X-Api-Key"] = apiKey }, cancellationToken);

    private static void AssertTooLarge(RawHttp.Answer answer, string limit) => AssertTooLarge(answer.Status, answer.ContentType, answer.Body, limit);

    private static void AssertTooLarge(int status, string? mediaType, string body, string limit)
    {
        Assert.True(status == (int)HttpStatusCode.RequestEntityTooLarge, $"{status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("The request body is too large; nothing was written.", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(limit, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static JsonObject Adjustment(long expectedRevision) => CorrectionBodies.Adjustment(-1.5m, expectedRevision, "Fee charged twice by the card scheme");

    /// <summary>Proposes reversing the duplicate deposit (above the approval threshold) and returns the proposal's id.</summary>
    private async Task<Guid> ProposeReversalAsync(CancellationToken cancellationToken)
    {
        await RejectPendingAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();
        var body = new JsonObject
        {
            ["kind"] = "reversal",
            ["eventId"] = host.Duplicate,
            ["reason"] = Reason,
            ["expectedRevision"] = await RevisionAsync(cancellationToken),
            ["commandId"] = commandId,
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/accounts/{KestrelDashboardHost.Account}/corrections", content, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return commandId;
    }

    /// <summary>Withdraws the proposals an earlier test left pending: the same event cannot be proposed twice.</summary>
    private async Task RejectPendingAsync(CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(SupportKey);
        foreach (var proposalId in await PendingProposalsAsync(cancellationToken))
        {
            using var content = new StringContent(
                new JsonObject { ["commandId"] = Guid.NewGuid(), ["reason"] = "Withdrawn to try again" }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/api/accounts/{KestrelDashboardHost.Account}/proposals/{proposalId}/reject", content, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task<List<Guid>> PendingProposalsAsync(CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(SupportKey);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/proposals?account={KestrelDashboardHost.Account}", cancellationToken));
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("proposalId").GetGuid())];
    }

    private async Task<long> RevisionAsync(CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/accounts/{KestrelDashboardHost.Account}", cancellationToken));
        return json.RootElement.GetProperty("revision").GetInt64();
    }
}
