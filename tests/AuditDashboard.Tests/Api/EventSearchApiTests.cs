using AuditDashboard.Core.Export;
using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

[Collection(SharedDashboardHost.Name)]
public sealed class EventSearchApiTests(DashboardHost host)
{
    private const string SupportKey = "dev-support-key-2b8e41";
    private const string ComplianceKey = "dev-compliance-key-c05d6e";

    [Fact(Timeout = 30_000)]
    public async Task Search_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/api/events/search?actor=olivia", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(DashboardFactory.MonitorKey)]
    [InlineData(SupportKey)]
    public async Task Search_ByARoleOtherThanOperatorOrComplianceReviewer_Answers403(string apiKey)
    {
        using var client = host.CreateClient(apiKey);

        using var response = await client.GetAsync("/api/events/search?actor=olivia", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(DashboardFactory.OperatorKey)]
    [InlineData(ComplianceKey)]
    public async Task Search_ByReference_FindsThatEventWithWhoWhenWhyAndHowMuch(string apiKey)
    {
        using var client = host.CreateClient(apiKey);

        using var json = await GetJsonAsync(client, "/api/events/search?reference=SAL-2", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("total").GetInt64());
        Assert.False(root.GetProperty("totalIsCapped").GetBoolean());
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("continuation").ValueKind);
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal(DashboardHost.Alice, item.GetProperty("accountId").GetString());
        Assert.Equal("FundsDeposited", item.GetProperty("eventType").GetString());
        Assert.Equal(250.50m, item.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", item.GetProperty("currency").GetString());
        Assert.Equal("SAL-2", item.GetProperty("reference").GetString());
        Assert.Equal("olivia", item.GetProperty("actor").GetString());
        Assert.Equal("Salary", item.GetProperty("reason").GetString());
        Assert.False(item.GetProperty("flagged").GetBoolean());

        // The revision it names is that event's in the account's own timeline.
        using var events = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events?fromRevision={item.GetProperty("revision").GetInt64()}&count=1", TestContext.Current.CancellationToken);
        var stored = Assert.Single(events.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(item.GetProperty("eventId").GetGuid(), stored.GetProperty("eventId").GetGuid());
    }

    [Fact(Timeout = 30_000)]
    public async Task Search_PageByPage_GivesEveryMatchOnceNewestFirst_AsManyAsTheTotalSays()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var seen = new List<(DateTimeOffset Recorded, long Position)>();
        long? total = null;
        string? continuation = null;
        do
        {
            var url = $"/api/events/search?account={DashboardHost.Alice}&limit=2" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}");
            using var json = await GetJsonAsync(client, url, TestContext.Current.CancellationToken);
            var root = json.RootElement;
            total ??= root.GetProperty("total").GetInt64();
            var items = root.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 2);
            Assert.All(items, i => Assert.Equal(DashboardHost.Alice, i.GetProperty("accountId").GetString()));
            seen.AddRange(items.Select(i => (i.GetProperty("recorded").GetDateTimeOffset(), i.GetProperty("position").GetInt64())));
            continuation = root.GetProperty("continuation").GetString();
        }
        while (continuation is not null && seen.Count < 1_000);

        Assert.True(total >= 5, $"Alice has at least five events; the search counted {total}.");
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.Recorded).ThenByDescending(s => s.Position), seen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Search_IsOnTheRecord_AsOneLookPerWindowWithItsFilters_WhateverPageWasAsked()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var recorder = host.Factory.Services.GetRequiredService<AccessRecorder>();
        await recorder.FlushAllAsync(cancellationToken);
        var since = DateTimeOffset.UtcNow;
        using var client = host.CreateClient(ComplianceKey);
        var reference = "REC-" + Guid.NewGuid().ToString("N")[..8];

        using (await GetJsonAsync(client, $"/api/events/search?reference={reference}&limit=5", cancellationToken))
        using (await GetJsonAsync(client, $"/api/events/search?reference={reference}&limit=7", cancellationToken))
        {
        }

        await recorder.FlushAllAsync(cancellationToken);
        var page = await AccessLogSearch.SearchAsync(host.Store, new AccessLogFilter(User: "api-key:dev-compliance", From: since), 0, 100, cancellationToken);
        var look = Assert.Single(page.Items.Select(e => e.Access).OfType<AccessRecorded>(), l => l.Filters == $"reference={reference}");
        Assert.Equal((AccessAction.EventsSearched, 2, null), (look.Action, look.Count, look.AccountId));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("type=FundsStolen", "type")]
    [InlineData("account=not%20an%20id", "account")]
    [InlineData("recordedFrom=yesterday", "recordedFrom")]
    [InlineData("recordedTo=2026-13-01", "recordedTo")]
    [InlineData("recordedFrom=2026-03-02&recordedTo=2026-03-01", "recordedTo")]
    [InlineData("effectiveFrom=soon", "effectiveFrom")]
    [InlineData("effectiveTo=2026-02-30", "effectiveTo")]
    [InlineData("minAmount=-5", "minAmount")]
    [InlineData("maxAmount=1e9", "maxAmount")]
    [InlineData("minAmount=10&maxAmount=5", "maxAmount")]
    [InlineData("currency=euro", "currency")]
    [InlineData("flagged=maybe", "flagged")]
    [InlineData("text=%21%21%21", "text")]
    [InlineData("order=sideways", "order")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("continuation=abc", "continuation")]
    [InlineData("actor=sam&actor=sara", "actor")]
    [InlineData("reference=%01", "reference")]
    [InlineData("actor=%07", "actor")]
    [InlineData("owner=%00", "owner")]
    [InlineData("correlationId=a%0Ab", "correlationId")]
    [InlineData("causationId=%1B", "causationId")]
    [InlineData("source=%7F", "source")]
    [InlineData("text=one%20two%20three%20four%20five%20six%20seven%20eight%20nine%20ten%20eleven%20twelve%20thirteen%20fourteen%20fifteen%20sixteen%20seventeen", "text")]
    public async Task Search_WithABadValue_Answers400NamingTheField(string parameters, string field)
    {
        await AssertRefusedAsync(parameters, field, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task Search_WithAFilterLongerThanAnyValue_Answers400NamingIt()
    {
        foreach (var name in new[] { "actor", "owner", "reference", "correlationId", "causationId", "source", "text" })
            await AssertRefusedAsync($"{name}={new string('a', 201)}", name, TestContext.Current.CancellationToken);
    }

    private async Task AssertRefusedAsync(string parameters, string field, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync($"/api/events/search?{parameters}", cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"The problem names {string.Join(", ", errors.EnumerateObject().Select(p => p.Name))}, not {field}.");
        Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
    }
}
