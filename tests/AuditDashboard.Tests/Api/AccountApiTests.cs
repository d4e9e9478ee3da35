using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

[Collection(SharedDashboardHost.Name)]
public sealed class AccountApiTests(DashboardHost host)
{
    public static TheoryData<string> AccountUrls { get; } =
        ["/api/accounts", $"/api/accounts/{DashboardHost.Alice}", $"/api/accounts/{DashboardHost.Alice}/events"];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(AccountUrls))]
    public async Task Get_WithoutCredentials_Answers401(string url)
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(AccountUrls))]
    public async Task Get_WithAWrongApiKey_Answers401(string url)
    {
        using var client = host.CreateClient(apiKey: "not-a-key-of-this-dashboard");

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(AccountUrls))]
    public async Task Get_WithTheMonitorKey_WhichMayNotReadAccounts_Answers403(string url)
    {
        using var client = host.CreateClient(DashboardFactory.MonitorKey);

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task ListAccounts_WithTheOperatorKey_ReturnsEachAccountsBalanceStatusAndRevision()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, "/api/accounts?search=API-", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(DashboardHost.SeededAccounts, root.GetProperty("total").GetInt32());
        Assert.Equal(0, root.GetProperty("skip").GetInt32());
        Assert.Equal(50, root.GetProperty("take").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([DashboardHost.Alice, DashboardHost.Bruno, DashboardHost.Chloe], items.Select(i => i.GetProperty("accountId").GetString()));
        var alice = items[0];
        Assert.Equal("Alice Martin", alice.GetProperty("owner").GetString());
        Assert.Equal("EUR", alice.GetProperty("currency").GetString());
        Assert.Equal(300.25m, alice.GetProperty("balance").GetDecimal());
        Assert.Equal("Frozen", alice.GetProperty("status").GetString());
        Assert.Equal(4, alice.GetProperty("revision").GetInt64());
        Assert.Equal(5, alice.GetProperty("eventCount").GetInt32());
        Assert.Equal(1000m, items[1].GetProperty("balance").GetDecimal());
        Assert.Equal("Open", items[1].GetProperty("status").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task ListAccounts_WithSkipAndTake_ReturnsThatPageAndTheFullTotal()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, "/api/accounts?search=api-&skip=1&take=1", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(DashboardHost.SeededAccounts, root.GetProperty("total").GetInt32());
        Assert.Equal([DashboardHost.Bruno], root.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetString()));
    }

    [Fact(Timeout = 30_000)]
    public async Task ListAccounts_SearchingByOwner_ReturnsOnlyThatOwnersAccount()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, "/api/accounts?search=keller", TestContext.Current.CancellationToken);

        Assert.Equal([DashboardHost.Bruno], json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetString()));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAccount_ReturnsItsStateAsFoldedFromTheStore()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}", TestContext.Current.CancellationToken);

        var account = json.RootElement;
        Assert.Equal(DashboardHost.Alice, account.GetProperty("accountId").GetString());
        Assert.Equal(300.25m, account.GetProperty("balance").GetDecimal());
        Assert.Equal("Frozen", account.GetProperty("status").GetString());
        Assert.Equal(4, account.GetProperty("revision").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task GetEvents_ByDefault_ReturnsEveryEventOldestFirst_WithTheBalanceAfterEach()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events", TestContext.Current.CancellationToken);

        var page = json.RootElement;
        Assert.Equal("forwards", page.GetProperty("direction").GetString());
        Assert.Equal(4, page.GetProperty("lastRevision").GetInt64());
        var events = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([0L, 1, 2, 3, 4], events.Select(e => e.GetProperty("revision").GetInt64()));
        Assert.Equal(
            [AccountEventTypes.AccountOpened, AccountEventTypes.FundsDeposited, AccountEventTypes.FundsDeposited, AccountEventTypes.FundsWithdrawn, AccountEventTypes.AccountFrozen],
            events.Select(e => e.GetProperty("eventType").GetString()));
        Assert.Equal([0m, 100m, 350.50m, 300.25m, 300.25m], events.Select(e => e.GetProperty("balanceAfter").GetDecimal()));
        Assert.Equal(250.50m, events[2].GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal("sam", events[3].GetProperty("metadata").GetProperty("actor").GetString());
        Assert.Equal("Frozen", events[4].GetProperty("statusAfter").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task GetEvents_ForwardsFromARevision_ReturnsCountEventsFromThere()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events?fromRevision=1&count=2", TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2], Revisions(json));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetEvents_Backwards_StartsAtTheNewestEvent()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events?direction=backwards&count=3", TestContext.Current.CancellationToken);

        Assert.Equal("backwards", json.RootElement.GetProperty("direction").GetString());
        Assert.Equal([4L, 3, 2], Revisions(json));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetEvents_BackwardsFromARevision_ReturnsThatEventAndTheOnesBefore()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events?direction=Backwards&fromRevision=2&count=5", TestContext.Current.CancellationToken);

        Assert.Equal([2L, 1, 0], Revisions(json));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetEvents_FromPastTheLastRevision_ReturnsNoEvents()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Chloe}/events?fromRevision=5", TestContext.Current.CancellationToken);

        Assert.Empty(Revisions(json));
        Assert.Equal(0, json.RootElement.GetProperty("lastRevision").GetInt64());
    }

    public static TheoryData<string, string> UnknownAccounts { get; } = new()
    {
        { "/api/accounts/NO-SUCH-ACCOUNT", "There is no account 'NO-SUCH-ACCOUNT'." },
        { "/api/accounts/NO-SUCH-ACCOUNT/events", "There is no account 'NO-SUCH-ACCOUNT'." },
        { "/api/accounts/not*an~id", "is not a valid account id" },
        { "/api/accounts/not*an~id/events", "is not a valid account id" },
        { $"/api/accounts/{new string('A', 65)}", "is not a valid account id" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(UnknownAccounts))]
    public async Task GetAccount_UnknownOrMalformed_Answers404ProblemDetails(string url, string detail)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await ReadJsonAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Account not found.", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadQueries { get; } = new()
    {
        { "/api/accounts?skip=-1", "skip" },
        { "/api/accounts?skip=abc", "skip" },
        { "/api/accounts?take=0", "take" },
        { "/api/accounts?take=501", "take" },
        { "/api/accounts?take=1.5", "take" },
        { $"/api/accounts/{DashboardHost.Alice}/events?count=0", "count" },
        { $"/api/accounts/{DashboardHost.Alice}/events?count=501", "count" },
        { $"/api/accounts/{DashboardHost.Alice}/events?count=ten", "count" },
        { $"/api/accounts/{DashboardHost.Alice}/events?direction=sideways", "direction" },
        { $"/api/accounts/{DashboardHost.Alice}/events?fromRevision=-1", "fromRevision" },
        { $"/api/accounts/{DashboardHost.Alice}/events?fromRevision=last", "fromRevision" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(BadQueries))]
    public async Task AQueryValueOutOfRange_Answers400ProblemDetails_NamingTheParameter(string url, string parameter)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await ReadJsonAsync(response, TestContext.Current.CancellationToken);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal([parameter], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnEventAppendedAfterStart_ReachesTheAccountList()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var accountId = $"LIVE-{Guid.NewGuid():N}"[..20];
        var cancellationToken = TestContext.Current.CancellationToken;

        await Ledger.OpenAsync(host.Store, accountId, "Late Arrival", "EUR", 42.42m, cancellationToken);

        JsonElement? found = null;
        await Eventually.UntilAsync(
            async ct =>
            {
                using var json = await GetJsonAsync(client, $"/api/accounts?search={accountId}", ct);
                // The feed applies events one at a time: wait for the account's second event, not just its first.
                found = json.RootElement.GetProperty("items").EnumerateArray()
                    .Where(i => i.GetProperty("revision").ValueKind == JsonValueKind.Number && i.GetProperty("revision").GetInt64() == 1)
                    .Select(i => (JsonElement?)i.Clone()).FirstOrDefault();
                return found is not null;
            },
            $"{accountId} listed at revision 1",
            Ledger.Patience,
            cancellationToken);

        Assert.NotNull(found);
        Assert.Equal(42.42m, found.Value.GetProperty("balance").GetDecimal());
        Assert.Equal("Late Arrival", found.Value.GetProperty("owner").GetString());
        Assert.Equal(1, found.Value.GetProperty("revision").GetInt64());
    }

    private static List<long> Revisions(JsonDocument json) =>
        json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt64()).ToList();
}
