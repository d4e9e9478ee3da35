using System.Globalization;
using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/accounts/{id}/state</c> over the shared host's seeded accounts. Alice's five events were written in two
/// appends, so revisions 0–1 share one recorded time and revisions 2–4 another.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class AccountStateApiTests(DashboardHost host)
{
    private static readonly string AliceState = $"/api/accounts/{DashboardHost.Alice}/state";

    [Fact(Timeout = 30_000)]
    public async Task State_AtARevision_IsTheStateAfterThatEvent_WithTheEventThatProducedIt()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var recorded = await RecordedTimesAsync(client, TestContext.Current.CancellationToken);

        using var json = await GetJsonAsync(client, $"{AliceState}?revision=2", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(DashboardHost.Alice, root.GetProperty("accountId").GetString());
        Assert.Equal("recorded", root.GetProperty("view").GetString());
        Assert.False(root.GetProperty("beforeAccountExisted").GetBoolean());
        Assert.Equal(2, root.GetProperty("revision").GetInt64());
        Assert.Equal(recorded[2], root.GetProperty("recordedAt").GetDateTimeOffset());
        var state = root.GetProperty("state");
        Assert.Equal("Alice Martin", state.GetProperty("owner").GetString());
        Assert.Equal("EUR", state.GetProperty("currency").GetString());
        Assert.Equal(350.50m, state.GetProperty("balance").GetDecimal());
        Assert.Equal("Open", state.GetProperty("status").GetString());
        Assert.Equal(3, state.GetProperty("eventCount").GetInt32());
        Assert.Equal(recorded[0], state.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(recorded[2], state.GetProperty("lastChangedAt").GetDateTimeOffset());
        var e = root.GetProperty("event");
        Assert.Equal(2, e.GetProperty("revision").GetInt64());
        Assert.Equal(AccountEventTypes.FundsDeposited, e.GetProperty("eventType").GetString());
        Assert.Equal(250.50m, e.GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal("olivia", e.GetProperty("metadata").GetProperty("actor").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task State_AtTheFirstRevision_IsTheOpenedAccount()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"{AliceState}?revision=0", TestContext.Current.CancellationToken);

        Assert.Equal(0, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(0m, json.RootElement.GetProperty("state").GetProperty("balance").GetDecimal());
        Assert.Equal(AccountEventTypes.AccountOpened, json.RootElement.GetProperty("event").GetProperty("eventType").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task State_WithoutRevisionOrTime_IsTheLatestState()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, AliceState, TestContext.Current.CancellationToken);

        Assert.Equal(4, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(300.25m, json.RootElement.GetProperty("state").GetProperty("balance").GetDecimal());
        Assert.Equal("Frozen", json.RootElement.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("at").ValueKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task State_ExactlyAtAnEventsRecordedTime_IncludesEveryEventRecordedThen()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var recorded = await RecordedTimesAsync(client, TestContext.Current.CancellationToken);

        using var json = await GetJsonAsync(client, $"{AliceState}?at={Iso(recorded[2])}", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("revision").GetInt64());
        Assert.Equal(recorded[4], root.GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(300.25m, root.GetProperty("state").GetProperty("balance").GetDecimal());
        Assert.Equal(recorded[2], root.GetProperty("at").GetDateTimeOffset());
    }

    [Fact(Timeout = 30_000)]
    public async Task State_OneTickBeforeAnAppend_ExcludesIt()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var recorded = await RecordedTimesAsync(client, TestContext.Current.CancellationToken);
        Assert.True(recorded[2] > recorded[1], "The seeding appends are expected to be recorded at different times.");

        using var json = await GetJsonAsync(client, $"{AliceState}?at={Iso(recorded[2].AddTicks(-1))}", TestContext.Current.CancellationToken);

        Assert.Equal(1, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(100m, json.RootElement.GetProperty("state").GetProperty("balance").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task State_AtATimeGivenInAnotherOffset_IsTheSameInstant()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var recorded = await RecordedTimesAsync(client, TestContext.Current.CancellationToken);

        using var json = await GetJsonAsync(client, $"{AliceState}?at={Iso(recorded[0].ToOffset(TimeSpan.FromHours(-5)))}", TestContext.Current.CancellationToken);

        Assert.Equal(1, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(recorded[0], json.RootElement.GetProperty("at").GetDateTimeOffset());
    }

    [Fact(Timeout = 30_000)]
    public async Task State_BeforeTheAccountExisted_IsAStateOfItsOwn_WithoutRevisionOrEvent()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var recorded = await RecordedTimesAsync(client, TestContext.Current.CancellationToken);

        using var json = await GetJsonAsync(client, $"{AliceState}?at={Iso(recorded[0].AddTicks(-1))}", TestContext.Current.CancellationToken);

        var root = json.RootElement;
        Assert.True(root.GetProperty("beforeAccountExisted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("revision").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("recordedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("event").ValueKind);
        var state = root.GetProperty("state");
        Assert.Equal("NotOpened", state.GetProperty("status").GetString());
        Assert.Equal(0m, state.GetProperty("balance").GetDecimal());
        Assert.Equal(0, state.GetProperty("eventCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("owner").ValueKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task State_AfterTheLastEvent_IsTheLatestState()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var json = await GetJsonAsync(client, $"{AliceState}?at=2999-01-01T00:00Z", TestContext.Current.CancellationToken);

        Assert.Equal(4, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal("Frozen", json.RootElement.GetProperty("state").GetProperty("status").GetString());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("revision=0")]
    [InlineData("revision=3")]
    [InlineData("at=2999-01-01T00:00Z")]
    [InlineData("at=2000-01-01T00:00Z")]
    [InlineData("")]
    public async Task State_InTheCorrectedView_EqualsTheRecordedView_UntilCorrectionsExist(string query)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var recorded = await GetJsonAsync(client, $"{AliceState}?{query}&view=recorded", TestContext.Current.CancellationToken);
        using var corrected = await GetJsonAsync(client, $"{AliceState}?{query}&view=Corrected", TestContext.Current.CancellationToken);

        Assert.Equal("recorded", recorded.RootElement.GetProperty("view").GetString());
        Assert.Equal("corrected", corrected.RootElement.GetProperty("view").GetString());
        Assert.Equal(WithoutView(recorded), WithoutView(corrected));
    }

    /// <summary>
    /// A correction recorded last that takes effect when the account was opened: as corrected it comes right after the
    /// events recorded at that time, and every later position holds its money; as recorded it is the last event.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task State_InTheCorrectedView_PutsACorrectionWhereItTakesEffect()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var id = "STC-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var by = Ledger.By("olivia", "Test");
        await Ledger.AppendAsync(host.Store, id, [Ledger.Encode(new AccountOpened(id, "Stella Corr", "EUR"), by), Ledger.Encode(new FundsDeposited(100m, "EUR", null), by)], cancellationToken);
        var opened = (await host.Store.ReadStreamAsync(AccountIds.StreamOf(id), Direction.Forwards, 1, 1, cancellationToken).SingleAsync(cancellationToken)).Created;
        await Task.Delay(20, cancellationToken);
        await Ledger.AppendAsync(host.Store, id, [Ledger.Encode(new FundsDeposited(50m, "EUR", null), by)], cancellationToken);
        await Ledger.AppendAsync(host.Store, id, [Ledger.Encode(new BalanceCorrected(10m, "EUR", null, opened), Ledger.By("sam", "Opening fee refunded"))], cancellationToken);
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        async Task<JsonElement> StateAsync(string query)
        {
            using var json = await GetJsonAsync(client, $"/api/accounts/{id}/state?{query}", cancellationToken);
            return json.RootElement.Clone();
        }

        var correction = await StateAsync("revision=3&view=corrected");
        var after = await StateAsync("revision=2&view=corrected");
        var atOpening = await StateAsync($"at={Iso(opened)}&view=corrected");
        var latest = await StateAsync("view=corrected");
        var recorded = await StateAsync("revision=2");

        Assert.Equal((110m, 3), (correction.GetProperty("state").GetProperty("balance").GetDecimal(), correction.GetProperty("state").GetProperty("eventCount").GetInt32()));
        Assert.Equal(opened, correction.GetProperty("state").GetProperty("lastChangedAt").GetDateTimeOffset());
        Assert.Equal((160m, 4), (after.GetProperty("state").GetProperty("balance").GetDecimal(), after.GetProperty("state").GetProperty("eventCount").GetInt32()));
        Assert.Equal((3L, 110m), (atOpening.GetProperty("revision").GetInt64(), atOpening.GetProperty("state").GetProperty("balance").GetDecimal()));
        Assert.Equal((2L, 160m), (latest.GetProperty("revision").GetInt64(), latest.GetProperty("state").GetProperty("balance").GetDecimal()));
        Assert.Equal((150m, 3), (recorded.GetProperty("state").GetProperty("balance").GetDecimal(), recorded.GetProperty("state").GetProperty("eventCount").GetInt32()));
    }

    public static TheoryData<string, string[], string> BadQueries { get; } = new()
    {
        { "revision=abc", ["revision"], "from 0 to 4" },
        { "revision=-1", ["revision"], "from 0 to 4" },
        { "revision=5", ["revision"], "from 0 to 4" },
        { "revision=1.5", ["revision"], "from 0 to 4" },
        { "revision=99999999999999999999", ["revision"], "from 0 to 4" },
        { "at=garbage", ["at"], "is not a date and time" },
        { "at=2026-11-24T15:00", ["at"], "has no UTC offset" },
        { "at=2026-02-30T10:00Z", ["at"], "is not a date and time" },
        { "revision=1&at=2026-11-24T15:00Z", ["revision", "at"], "either revision or at, not both" },
        { "view=sideways", ["view"], "'recorded' or 'corrected'" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(BadQueries))]
    public async Task State_WithABadQuery_Answers400ProblemDetails_NamingTheParameterAndWhatIsValid(string query, string[] parameters, string message)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync($"{AliceState}?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await ReadJsonAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal(parameters.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(errors.EnumerateObject(), p => Assert.Contains(message, p.Value[0].GetString(), StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task State_AtARevisionBeyondTheOnlyEvent_NamesTheAccountsOwnRange()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync($"/api/accounts/{DashboardHost.Chloe}/state?revision=1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await ReadJsonAsync(response, TestContext.Current.CancellationToken);
        Assert.Contains("from 0 to 0", problem.RootElement.GetProperty("errors").GetProperty("revision")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task State_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync($"{AliceState}?revision=1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task State_WithTheMonitorKey_WhichMayNotReadAccounts_Answers403()
    {
        using var client = host.CreateClient(DashboardFactory.MonitorKey);

        using var response = await client.GetAsync($"{AliceState}?revision=1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/api/accounts/NO-SUCH-ACCOUNT/state", "There is no account 'NO-SUCH-ACCOUNT'.")]
    [InlineData("/api/accounts/NO-SUCH-ACCOUNT/state?revision=abc", "There is no account 'NO-SUCH-ACCOUNT'.")]
    [InlineData("/api/accounts/not*an~id/state?revision=0", "is not a valid account id")]
    public async Task State_OfAnUnknownAccount_Answers404ProblemDetails(string url, string detail)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await ReadJsonAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal("Account not found.", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Alice's recorded times by revision, as the events endpoint reports them.</summary>
    private static async Task<List<DateTimeOffset>> RecordedTimesAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync(client, $"/api/accounts/{DashboardHost.Alice}/events", cancellationToken);
        return json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("recorded").GetDateTimeOffset()).ToList();
    }

    /// <summary>The moment to the tick, with its offset, escaped for a query string ('+' would read as a space).</summary>
    private static string Iso(DateTimeOffset moment) => Uri.EscapeDataString(moment.ToString("O", CultureInfo.InvariantCulture));

    private static string WithoutView(JsonDocument json) =>
        JsonSerializer.Serialize(json.RootElement.EnumerateObject().Where(p => p.Name != "view").ToDictionary(p => p.Name, p => p.Value));
}
