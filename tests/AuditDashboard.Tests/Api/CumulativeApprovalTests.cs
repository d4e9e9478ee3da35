using System.Text.Json.Nodes;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// Four eyes cannot be split away: one user's corrections add up within <c>Corrections:ApprovalWindow</c>, on one
/// account against the threshold (10,000.00 EUR) and across accounts against <c>Corrections:CrossAccountThreshold</c>
/// (25,000.00 EUR here). Each test runs an app of its own over a fresh ledger, so no other test's corrections count.
/// </summary>
public sealed class CumulativeApprovalTests : IDisposable
{
    private const string SupportKey = CorrectionApiTests.SupportKey;
    private const string ApproverKey = "dev-approver-key-6d4c18";
    private const string Reason = "Fee charged twice by the gateway";

    private readonly TempFolder _folder = new();

    [Fact(Timeout = 60_000)]
    public async Task ThreeAdjustmentsOf10000_ByOneUserOnOneAccount_WriteTheFirst_AndProposeTheOthers_SayingWhy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(cancellationToken);
        await app.OpenAsync("CUM-0001", 50_000m, cancellationToken);
        using var support = app.Client(SupportKey);

        using var first = await PostAsync(support, "CUM-0001", Adjustment(10_000m, 1), cancellationToken);
        using var second = await PostAsync(support, "CUM-0001", Adjustment(10_000m, 2), cancellationToken);
        using var third = await PostAsync(support, "CUM-0001", Adjustment(-10_000m, 3), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, first, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, second, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, third, cancellationToken);
        using var why = JsonDocument.Parse(await second.Content.ReadAsStringAsync(cancellationToken));
        Assert.StartsWith(
            "You have corrected 10,000.00 EUR on this account in the last 24 h; with this one 20,000.00 EUR exceeds the 10,000.00 EUR limit",
            why.RootElement.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        Assert.Equal((60_000m, 4L), await app.BalanceAsync("CUM-0001", cancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task AnotherUsersCorrections_DoNotCount_AndNeitherDoApprovedOnes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(cancellationToken);
        await app.OpenAsync("CUM-0002", 50_000m, cancellationToken);
        using var support = app.Client(SupportKey);
        using var approver = app.Client(ApproverKey);

        // A proposal of 15,000 by support, approved by the approver: written through four eyes, it does not count.
        using (var proposed = await PostAsync(support, "CUM-0002", Adjustment(15_000m, 1), cancellationToken))
            await AssertStatusAsync(HttpStatusCode.Accepted, proposed, cancellationToken);
        var proposalId = await ProposalIdAsync("CUM-0002", app, cancellationToken);
        using (var approved = await PostAsync(approver, $"CUM-0002/proposals/{proposalId}/approve", new JsonObject { ["commandId"] = Guid.NewGuid() }, cancellationToken, path: true))
            await AssertStatusAsync(HttpStatusCode.Created, approved, cancellationToken);
        using var theApprovers = await PostAsync(approver, "CUM-0002", Adjustment(9_000m, 4), cancellationToken);
        using var supports = await PostAsync(support, "CUM-0002", Adjustment(9_000m, 5), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, theApprovers, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Created, supports, cancellationToken);
        Assert.Equal((83_000m, 6L), await app.BalanceAsync("CUM-0002", cancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task AReversal_CountsWithTheAmountItReversed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(cancellationToken);
        await app.OpenAsync("CUM-0003", 8_000m, cancellationToken);
        var deposit = (await app.Store.ReadStreamAsync(AccountIds.StreamOf("CUM-0003"), Direction.Forwards, 1, 1, cancellationToken).SingleAsync(cancellationToken)).EventId;
        using var support = app.Client(SupportKey);
        var reversal = new JsonObject { ["kind"] = "reversal", ["eventId"] = deposit, ["reason"] = Reason, ["expectedRevision"] = 1, ["commandId"] = Guid.NewGuid() };

        using var reversed = await PostAsync(support, "CUM-0003", reversal, cancellationToken);
        using var adjusted = await PostAsync(support, "CUM-0003", Adjustment(2_500m, 2), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, reversed, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, adjusted, cancellationToken);
        using var why = JsonDocument.Parse(await adjusted.Content.ReadAsStringAsync(cancellationToken));
        Assert.StartsWith("You have corrected 8,000.00 EUR on this account", why.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task CorrectionsOnSeveralAccounts_AddUpAgainstTheLimitAcrossAccounts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(cancellationToken);
        string[] accounts = ["CUM-0011", "CUM-0012", "CUM-0013"];
        foreach (var account in accounts)
            await app.OpenAsync(account, 50_000m, cancellationToken);
        using var support = app.Client(SupportKey);

        using var first = await PostAsync(support, accounts[0], Adjustment(10_000m, 1), cancellationToken);
        using var second = await PostAsync(support, accounts[1], Adjustment(-10_000m, 1), cancellationToken);
        using var third = await PostAsync(support, accounts[2], Adjustment(5_000.01m, 1), cancellationToken);
        using var small = await PostAsync(support, accounts[2], Adjustment(5_000m, 2), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, first, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Created, second, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, third, cancellationToken);
        using var why = JsonDocument.Parse(await third.Content.ReadAsStringAsync(cancellationToken));
        Assert.StartsWith(
            "You have corrected 20,000.00 EUR across all accounts in the last 24 h; with this one 25,000.01 EUR exceeds the 25,000.00 EUR limit across accounts",
            why.RootElement.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        await AssertStatusAsync(HttpStatusCode.Created, small, cancellationToken);
    }

    [Fact(Timeout = 90_000)]
    public async Task AfterARestart_TheSumAcrossAccounts_IsRebuiltFromTheLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var before = await StartAsync(cancellationToken))
        {
            await before.OpenAsync("CUM-0021", 50_000m, cancellationToken);
            await before.OpenAsync("CUM-0022", 50_000m, cancellationToken);
            using var support = before.Client(SupportKey);
            using var written = await PostAsync(support, "CUM-0021", Adjustment(10_000m, 1), cancellationToken);
            await AssertStatusAsync(HttpStatusCode.Created, written, cancellationToken);
            using var alsoWritten = await PostAsync(support, "CUM-0022", Adjustment(10_000m, 1), cancellationToken);
            await AssertStatusAsync(HttpStatusCode.Created, alsoWritten, cancellationToken);
        }

        await using var after = await StartAsync(cancellationToken);
        await after.OpenAsync("CUM-0023", 50_000m, cancellationToken);
        await after.WaitForAccountsAsync(3, cancellationToken);
        using var client = after.Client(SupportKey);

        using var proposed = await PostAsync(client, "CUM-0023", Adjustment(5_000.01m, 1), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Accepted, proposed, cancellationToken);
    }

    public void Dispose() => _folder.Dispose();

    private async Task<RunningApp> StartAsync(CancellationToken cancellationToken)
    {
        var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Corrections:CrossAccountThreshold:EUR"] = "25000",
        });
        var services = await StartupChecks.StartAsync(factory, cancellationToken);
        return new RunningApp(factory, services.GetRequiredService<IEventStore>(), services.GetRequiredService<AccountDirectory>());
    }

    private static async Task<Guid> ProposalIdAsync(string account, RunningApp app, CancellationToken cancellationToken)
    {
        var stream = AccountIds.StreamOf(account);
        var revision = await app.Store.GetLastRevisionAsync(stream, cancellationToken) ?? throw new InvalidOperationException($"{account} has no events.");
        var last = await app.Store.ReadStreamAsync(stream, Direction.Forwards, revision, 1, cancellationToken).SingleAsync(cancellationToken);
        Assert.Equal(AccountEventTypes.CorrectionProposed, last.EventType);
        return last.EventId;
    }

    private static JsonObject Adjustment(decimal amount, long expectedRevision) => CorrectionBodies.Adjustment(amount, expectedRevision, Reason);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string account, JsonObject body, CancellationToken cancellationToken, bool path = false)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await client.PostAsync(path ? $"/api/accounts/{account}" : $"/api/accounts/{account}/corrections", content, cancellationToken);
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response, CancellationToken cancellationToken) =>
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");

    /// <summary>An app started over the test's ledger folder.</summary>
    private sealed class RunningApp(DashboardFactory factory, IEventStore store, AccountDirectory directory) : IAsyncDisposable
    {
        public IEventStore Store => store;

        public HttpClient Client(string apiKey)
        {
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            return client;
        }

        public async Task OpenAsync(string account, decimal deposit, CancellationToken cancellationToken) =>
            await Ledger.OpenAsync(store, account, "Cora Mulder", "EUR", deposit, cancellationToken);

        /// <summary>Waits until the ledger feed has read <paramref name="count"/> accounts: then it has read the corrections before them too.</summary>
        public Task WaitForAccountsAsync(int count, CancellationToken cancellationToken) =>
            Eventually.UntilAsync(() => directory.IsCaughtUp && directory.Count >= count, $"the ledger feed to read {count} accounts", Ledger.Patience, cancellationToken);

        public async Task<(decimal Balance, long Revision)> BalanceAsync(string account, CancellationToken cancellationToken)
        {
            using var client = Client(DashboardFactory.OperatorKey);
            using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/accounts/{account}", cancellationToken));
            return (json.RootElement.GetProperty("balance").GetDecimal(), json.RootElement.GetProperty("revision").GetInt64());
        }

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}
