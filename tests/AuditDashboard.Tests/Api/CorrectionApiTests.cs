using System.Text.Json.Nodes;
using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// <c>POST /api/accounts/{id}/corrections</c> on the shared host. Every test seeds an account of its own (revisions:
/// 0 opened, 1 deposit 100.00 EUR, 2 the same deposit recorded again, 3 withdrawal 30.00; balance 170.00 at revision 3),
/// so the tests neither see nor disturb each other's writes.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class CorrectionApiTests(DashboardHost host)
{
    public const string SupportKey = "dev-support-key-2b8e41";
    public const string ComplianceKey = "dev-compliance-key-c05d6e";
    private const string Reason = "Deposit recorded twice by the gateway";

    [Fact(Timeout = 30_000)]
    public async Task Reversal_ByASupportKey_Answers201WithTheNewRevision_AndTheBalanceDropsByTheAmount()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();

        using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3, commandId), cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = await ReadJsonAsync(response, cancellationToken);
        Assert.Equal(4, created.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(commandId, created.RootElement.GetProperty("eventId").GetGuid());
        Assert.Equal(AccountEventTypes.TransactionReversed, created.RootElement.GetProperty("eventType").GetString());
        Assert.Equal($"/api/accounts/{account.Id}/events?fromRevision=4&count=1", response.Headers.Location?.OriginalString);

        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(70m, state.GetProperty("balance").GetDecimal());
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task Reversal_IsStoredWithItsActorReasonCausationAndCorrelation()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();
        using (var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3, commandId), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var stored = await GetEventAsync(account.Id, 4, cancellationToken);

        Assert.Equal(commandId, stored.GetProperty("eventId").GetGuid());
        Assert.Equal(AccountEventTypes.TransactionReversed, stored.GetProperty("eventType").GetString());
        Assert.Equal(70m, stored.GetProperty("balanceAfter").GetDecimal());
        var data = stored.GetProperty("data");
        Assert.Equal(account.Duplicate, data.GetProperty("reversedEventId").GetGuid());
        Assert.Equal(2, data.GetProperty("reversedRevision").GetInt64());
        Assert.Equal(-100m, data.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", data.GetProperty("currency").GetString());
        var metadata = stored.GetProperty("metadata");
        Assert.Equal("api-key:dev-support", metadata.GetProperty("actor").GetString());
        Assert.Equal(Reason, metadata.GetProperty("reason").GetString());
        Assert.Equal(account.Duplicate, Guid.Parse(metadata.GetProperty("causationId").GetString()!));
        Assert.Equal(commandId, Guid.Parse(metadata.GetProperty("correlationId").GetString()!));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameRequestAgain_WithTheSameCommandId_Answers201WithTheSameRevision_AndWritesOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Reversal(account.Duplicate, 3);
        using (var first = await PostAsync(client, account.Id, body, cancellationToken))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var again = await PostAsync(client, account.Id, body, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        using var json = await ReadJsonAsync(again, cancellationToken);
        Assert.Equal(4, json.RootElement.GetProperty("revision").GetInt64());
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        Assert.Equal(70m, state.GetProperty("balance").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameReversal_WithANewCommandId_AtTheStaleRevision_Answers409WithTheActualRevisionAndTheNewEvents()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var first = Guid.NewGuid();
        using (var written = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3, first), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);

        using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3), cancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await ReadJsonAsync(response, cancellationToken);
        Assert.Equal(409, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(4, problem.RootElement.GetProperty("actualRevision").GetInt64());
        var newer = Assert.Single(problem.RootElement.GetProperty("newEvents").EnumerateArray());
        Assert.Equal(4, newer.GetProperty("revision").GetInt64());
        Assert.Equal(first, newer.GetProperty("eventId").GetGuid());
        Assert.Equal(AccountEventTypes.TransactionReversed, newer.GetProperty("eventType").GetString());
        Assert.Equal(4, (await GetAccountAsync(account.Id, cancellationToken)).GetProperty("revision").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameReversal_WithANewCommandId_AtTheCurrentRevision_Answers400AlreadyReversed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        using (var written = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);

        using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 4), cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.Contains("already reversed", Assert.Single(errors.GetProperty("eventId").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await GetAccountAsync(account.Id, cancellationToken)).GetProperty("revision").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task Adjustment_Answers201WithBalanceCorrected_AndMovesTheBalanceBySignedAmount()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Adjustment(-12.34m, 3);
        body["eventId"] = account.Withdrawal;

        using var response = await PostAsync(client, account.Id, body, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = await ReadJsonAsync(response, cancellationToken);
        Assert.Equal(4, created.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(AccountEventTypes.BalanceCorrected, created.RootElement.GetProperty("eventType").GetString());
        Assert.Equal(157.66m, (await GetAccountAsync(account.Id, cancellationToken)).GetProperty("balance").GetDecimal());
        var stored = await GetEventAsync(account.Id, 4, cancellationToken);
        Assert.Equal(-12.34m, stored.GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal(account.Withdrawal, stored.GetProperty("data").GetProperty("referencedEventId").GetGuid());
        Assert.Equal(account.Withdrawal, Guid.Parse(stored.GetProperty("metadata").GetProperty("causationId").GetString()!));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(10)]
    [InlineData(1_000)]
    public async Task AReasonAtTheLengthLimits_IsAccepted(int length)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Adjustment(1m, 3);
        body["reason"] = new string('r', length);

        using var response = await PostAsync(client, account.Id, body, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string, string> BadRequests { get; } = new()
    {
        { "missing kind", "kind" },
        { "unknown kind", "kind" },
        { "missing commandId", "commandId" },
        { "empty commandId", "commandId" },
        { "missing expectedRevision", "expectedRevision" },
        { "negative expectedRevision", "expectedRevision" },
        { "expectedRevision beyond the last", "expectedRevision" },
        { "adjustment without amount", "amount" },
        { "zero amount", "amount" },
        { "over-precise amount", "amount" },
        { "absurd amount", "amount" },
        { "absurd negative amount", "amount" },
        { "reversal of part of the amount", "amount" },
        { "reason missing", "reason" },
        { "reason blank", "reason" },
        { "reason of 9 characters", "reason" },
        { "reason of 1,001 characters", "reason" },
        { "reason of 10,000 characters", "reason" },
        { "reversal without eventId", "eventId" },
        { "unknown eventId", "eventId" },
        { "eventId of another account", "eventId" },
        { "reversal of a non-money event", "eventId" },
        { "effectiveAt in the future", "effectiveAt" },
        { "effectiveAt before the account opened", "effectiveAt" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(BadRequests))]
    public async Task ABadRequest_Answers400WithTheFieldsError_AndWritesNothing(string bad, string field)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var other = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = BadBody(bad, account, other);

        using var response = await PostAsync(client, account.Id, body, cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}.");
        Assert.All(messages.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString())));
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("this is not JSON")]
    [InlineData("{\"kind\": \"reversal\",")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"kind\": \"adjustment\", \"amount\": \"ten\", \"reason\": \"Deposit recorded twice\", \"expectedRevision\": 3, \"commandId\": \"00000000-0000-0000-0000-000000000001\"}")]
    [InlineData("{\"kind\": \"adjustment\", \"amount\": 1e40, \"reason\": \"Deposit recorded twice\", \"expectedRevision\": 3, \"commandId\": \"00000000-0000-0000-0000-000000000001\"}")]
    public async Task ABodyThatIsNotACorrection_Answers400_AndWritesNothing(string body)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(CorrectionsUrl(account.Id), content, cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ABodyOfJsonNull_Answers400WithTheMissingFields()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        using var content = new StringContent("null", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(CorrectionsUrl(account.Id), content, cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.Equal(["commandId", "expectedRevision", "kind"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task MarkupInTheReason_IsStoredAsGiven_AndReturnedAsJsonText()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        const string markup = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"duplicate\" deposit";
        var body = Reversal(account.Duplicate, 3);
        body["reason"] = markup;
        using (var response = await PostAsync(client, account.Id, body, cancellationToken))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        using var operatorClient = host.CreateClient(DashboardFactory.OperatorKey);
        using var events = await operatorClient.GetAsync($"/api/accounts/{account.Id}/events?fromRevision=4&count=1", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal("application/json", events.Content.Headers.ContentType?.MediaType);
        // JSON, never HTML: the markup is a string value (a browser does not render or run it from application/json).
        var text = await events.Content.ReadAsStringAsync(cancellationToken);
        using var json = JsonDocument.Parse(text);
        var stored = Assert.Single(json.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(markup, stored.GetProperty("metadata").GetProperty("reason").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task AFrozenAccount_AcceptsACorrection_AndAClosedOneRefusesIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var frozen = await SeedAsync(cancellationToken, new AccountFrozen());
        var closed = await SeedAsync(cancellationToken, new AccountClosed());
        using var client = host.CreateClient(SupportKey);

        using var accepted = await PostAsync(client, frozen.Id, Reversal(frozen.Duplicate, 4), cancellationToken);
        using var refused = await PostAsync(client, closed.Id, Reversal(closed.Duplicate, 4), cancellationToken);

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var errors = await AssertValidationProblemAsync(refused, cancellationToken);
        Assert.True(errors.TryGetProperty("account", out _), errors.ToString());
        Assert.Equal(4, (await GetAccountAsync(closed.Id, cancellationToken)).GetProperty("revision").GetInt64());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("COR-NO-SUCH-ACCOUNT", "There is no account 'COR-NO-SUCH-ACCOUNT'.")]
    [InlineData("not*an~id", "is not a valid account id")]
    public async Task AnUnknownOrMalformedAccount_Answers404(string accountId, string detail)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(SupportKey);
        using var content = Json(Adjustment(1m, 0));

        using var response = await client.PostAsync($"/api/accounts/{accountId}/corrections", content, cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = await ReadJsonAsync(response, cancellationToken);
        Assert.Equal("Account not found.", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task WithoutCredentials_Answers401_AndWritesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient();

        using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3), cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    public static TheoryData<string> KeysWithoutSupport { get; } = [DashboardFactory.OperatorKey, ComplianceKey, DashboardFactory.MonitorKey, "not-a-key-of-this-dashboard"];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(KeysWithoutSupport))]
    public async Task AKeyWithoutTheSupportRole_IsRefused_AndWritesNothing(string apiKey)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(apiKey);

        using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3), cancellationToken);

        Assert.Equal(apiKey.StartsWith("dev-", StringComparison.Ordinal) ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ASignedInOperator_Gets403_AndWritesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var cookie = await SignInAsync("olivia", cancellationToken);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, CorrectionsUrl(account.Id)) { Content = Json(Reversal(account.Duplicate, 3)) };
        request.Headers.Add("Cookie", cookie);

        using var response = await client.SendAsync(request, cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ASignedInSupportUser_Posts_AndIsRecordedAsTheActor()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var cookie = await SignInAsync("sam", cancellationToken);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, CorrectionsUrl(account.Id)) { Content = Json(Reversal(account.Duplicate, 3)) };
        request.Headers.Add("Cookie", cookie);

        using var response = await client.SendAsync(request, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await GetEventAsync(account.Id, 4, cancellationToken);
        Assert.Equal("sam", stored.GetProperty("metadata").GetProperty("actor").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task FiftyConcurrentCorrections_AtTheSameRevision_WriteExactlyOne_AndTheRestConflict()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);

        var responses = await PostTogetherAsync(client, account.Id, 50, () => Adjustment(1m, 3), cancellationToken);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var conflicts = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.True(conflicts.Count == 49, $"Expected 49 conflicts; got {string.Join(", ", responses.GroupBy(r => r.StatusCode).Select(g => $"{g.Count()}×{(int)g.Key}"))}.");
        Assert.All(conflicts, c =>
        {
            using var problem = JsonDocument.Parse(c.Body);
            Assert.Equal(4, problem.RootElement.GetProperty("actualRevision").GetInt64());
        });
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        Assert.Equal(171m, state.GetProperty("balance").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task TwentyConcurrentCopiesOfOneCommand_AllAnswer201WithTheSameRevision_AndWriteOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Reversal(account.Duplicate, 3);

        var responses = await PostTogetherAsync(client, account.Id, 20, () => body, cancellationToken);

        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode}: {r.Body}"));
        Assert.All(responses, r =>
        {
            using var json = JsonDocument.Parse(r.Body);
            Assert.Equal(4, json.RootElement.GetProperty("revision").GetInt64());
        });
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        Assert.Equal(70m, state.GetProperty("balance").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameCommandId_WithAnotherReason_Answers409SayingSo_AndTheFirstCorrectionStandsAsWritten()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Reversal(account.Duplicate, 3);
        using (var first = await PostAsync(client, account.Id, body, cancellationToken))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        body["reason"] = "A different reason entirely, for the same id";

        using var again = await PostAsync(client, account.Id, body, cancellationToken);

        await AssertCommandIdUsedAsync(again, cancellationToken);
        Assert.Equal(Reason, (await GetEventAsync(account.Id, 4, cancellationToken)).GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(4, (await GetAccountAsync(account.Id, cancellationToken)).GetProperty("revision").GetInt64());
    }

    public static TheoryData<string> OtherBodies { get; } = ["amount", "kind", "target", "effectiveAt"];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(OtherBodies))]
    public async Task TheSameCommandId_WithAnotherCorrection_Answers409_AndWritesNothing(string changed)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Adjustment(-12.34m, 3);
        body["eventId"] = account.Withdrawal;
        using (var first = await PostAsync(client, account.Id, body, cancellationToken))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var other = Reversal(account.Duplicate, 4, body["commandId"]!.GetValue<Guid>());
        switch (changed)
        {
            case "amount": other = JsonNode.Parse(body.ToJsonString())!.AsObject(); other["amount"] = -12.35m; break;
            case "target": other = JsonNode.Parse(body.ToJsonString())!.AsObject(); other["eventId"] = account.Deposit; break;
            case "effectiveAt": other = JsonNode.Parse(body.ToJsonString())!.AsObject(); other["effectiveAt"] = DateTimeOffset.UtcNow.AddMinutes(-1); break;
        }

        using var again = await PostAsync(client, account.Id, other, cancellationToken);

        await AssertCommandIdUsedAsync(again, cancellationToken);
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        Assert.Equal(157.66m, state.GetProperty("balance").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameCommandId_OnASecondAccount_Answers409_AndWritesNothingThere()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await SeedAsync(cancellationToken);
        var second = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();
        using (var written = await PostAsync(client, first.Id, Reversal(first.Duplicate, 3, commandId), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);

        using var response = await PostAsync(client, second.Id, Reversal(second.Duplicate, 3, commandId), cancellationToken);

        await AssertCommandIdUsedAsync(response, cancellationToken);
        await AssertUnchangedAsync(second.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameRequestAgain_AtTheAccountsCurrentRevision_Answers201WithTheFirstRevision_AndWritesOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();
        using (var first = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3, commandId), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var other = await PostAsync(client, account.Id, Adjustment(1m, 4), cancellationToken))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        using var again = await PostAsync(client, account.Id, Reversal(account.Duplicate, 5, commandId), cancellationToken);

        Assert.True(again.StatusCode == HttpStatusCode.Created, $"{(int)again.StatusCode}: {await again.Content.ReadAsStringAsync(cancellationToken)}");
        using var json = await ReadJsonAsync(again, cancellationToken);
        Assert.Equal(4, json.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(commandId, json.RootElement.GetProperty("eventId").GetGuid());
        Assert.Equal(5, (await GetAccountAsync(account.Id, cancellationToken)).GetProperty("revision").GetInt64());
    }

    [Fact(Timeout = 60_000)]
    public async Task PostsWithOneCommandId_OnTwoAccountsAtOnce_WriteOneEvent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var accounts = new[] { await SeedAsync(cancellationToken), await SeedAsync(cancellationToken) };
        var commandId = Guid.NewGuid();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = Enumerable.Range(0, 8).Select(i => Task.Run(
            async () =>
            {
                var account = accounts[i % 2];
                using var client = host.CreateClient(SupportKey);
                await gate.Task;
                using var response = await PostAsync(client, account.Id, Reversal(account.Duplicate, 3, commandId), cancellationToken);
                return (Account: account.Id, response.StatusCode);
            },
            cancellationToken)).ToList();

        gate.SetResult();
        var answers = await Task.WhenAll(posts);

        var written = Assert.Single(answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Account).Distinct());
        Assert.All(answers.Where(a => a.Account != written), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(4, (await GetAccountAsync(written, cancellationToken)).GetProperty("revision").GetInt64());
        await AssertUnchangedAsync(accounts.Single(a => a.Id != written).Id, cancellationToken);
    }

    public static TheoryData<string, string> HidingReasons { get; } = new()
    {
        { new string('\u200B', 12), "The reason must be at least 10 characters; it has 0" },
        { "Dupl\u200B\u200Dicate\u00A0\u00A0", "The reason must be at least 10 characters; it has 9" },
        { "Rent \u202Etnemyap deificul duplicate", "The reason contains a right-to-left override (U+202E) at position 6; remove it." },
        { "Refund\u2066 of the duplicate\u2069 payment", "The reason contains a left-to-right isolate (U+2066) at position 7; remove it." },
        { "Duplicate\0 deposit from the gateway", "The reason contains a null character (U+0000) at position 10; remove it." },
        { "Duplicate deposit\rApproved by the CFO", "The reason contains a carriage return without a line feed (U+000D) at position 18; remove it." },
        { "Duplicate deposit \u001B[2K from the gateway", "The reason contains a control character (U+001B) at position 19; remove it." },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(HidingReasons))]
    public async Task AReasonThatHidesWhatItSays_Answers400NamingTheProblem_AndWritesNothing(string reason, string message)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Reversal(account.Duplicate, 3);
        body["reason"] = reason;

        using var response = await PostAsync(client, account.Id, body, cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.StartsWith(message, Assert.Single(errors.GetProperty("reason").EnumerateArray()).GetString(), StringComparison.Ordinal);
        await AssertUnchangedAsync(account.Id, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AReasonOnSeveralLines_WithTabsAndAnEmojiSequence_IsAccepted_AndStoredAsGiven()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        const string reason = "Duplicate deposit:\n\tgateway retried TRX-1\r\n\tticket 👩‍💻 SUP-42";
        var body = Reversal(account.Duplicate, 3);
        body["reason"] = reason;

        using var response = await PostAsync(client, account.Id, body, cancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(reason, (await GetEventAsync(account.Id, 4, cancellationToken)).GetProperty("metadata").GetProperty("reason").GetString());
    }

    private static async Task AssertCommandIdUsedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("The command id was already used for a different command; nothing was written.", problem.RootElement.GetProperty("title").GetString());
    }

    private sealed record SeededAccount(string Id, Guid Opened, Guid Deposit, Guid Duplicate, Guid Withdrawal);

    /// <summary>An account of the calling test's own, with a deposit recorded twice; <paramref name="last"/> is appended at revision 4.</summary>
    private async Task<SeededAccount> SeedAsync(CancellationToken cancellationToken, AccountEvent? last = null)
    {
        var id = "COR-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var events = new List<EventData>
        {
            Ledger.Encode(new AccountOpened(id, "Corinne Testa", "EUR"), Ledger.By("olivia", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsDeposited(100m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsWithdrawn(30m, "EUR", null), Ledger.By("olivia", "Withdrawal")),
        };
        if (last is not null)
            events.Add(Ledger.Encode(last, Ledger.By("carla", "Status change")));
        await Ledger.AppendAsync(host.Store, id, events, cancellationToken);
        return new SeededAccount(id, events[0].EventId, events[1].EventId, events[2].EventId, events[3].EventId);
    }

    /// <summary>Posts <paramref name="copies"/> corrections at once, each with the body <paramref name="body"/> gives.</summary>
    private static Task<(HttpStatusCode StatusCode, string Body)[]> PostTogetherAsync(
        HttpClient client, string accountId, int copies, Func<JsonObject> body, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, copies).Select(async _ =>
        {
            using var response = await PostAsync(client, accountId, body(), cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }));

    private static JsonObject Reversal(Guid eventId, long expectedRevision, Guid? commandId = null) => CorrectionBodies.Reversal(eventId, expectedRevision, Reason, commandId);

    private static JsonObject Adjustment(decimal amount, long expectedRevision) => CorrectionBodies.Adjustment(amount, expectedRevision, Reason);

    private static JsonObject BadBody(string bad, SeededAccount account, SeededAccount other)
    {
        var reversal = Reversal(account.Duplicate, 3);
        var adjustment = Adjustment(5m, 3);
        switch (bad)
        {
            case "missing kind": reversal.Remove("kind"); return reversal;
            case "unknown kind": reversal["kind"] = "refund"; return reversal;
            case "missing commandId": reversal.Remove("commandId"); return reversal;
            case "empty commandId": reversal["commandId"] = Guid.Empty; return reversal;
            case "missing expectedRevision": reversal.Remove("expectedRevision"); return reversal;
            case "negative expectedRevision": reversal["expectedRevision"] = -1; return reversal;
            case "expectedRevision beyond the last": reversal["expectedRevision"] = 99; return reversal;
            case "adjustment without amount": adjustment.Remove("amount"); return adjustment;
            case "zero amount": adjustment["amount"] = 0m; return adjustment;
            case "over-precise amount": adjustment["amount"] = 1.005m; return adjustment;
            case "absurd amount": adjustment["amount"] = 5_000_000_000m; return adjustment;
            case "absurd negative amount": adjustment["amount"] = -79_000_000_000_000_000_000_000_000_000m; return adjustment;
            case "reversal of part of the amount": reversal["amount"] = 50m; return reversal;
            case "reason missing": reversal.Remove("reason"); return reversal;
            case "reason blank": reversal["reason"] = "   \t  "; return reversal;
            case "reason of 9 characters": reversal["reason"] = "123456789"; return reversal;
            case "reason of 1,001 characters": reversal["reason"] = new string('r', 1_001); return reversal;
            case "reason of 10,000 characters": reversal["reason"] = new string('r', 10_000); return reversal;
            case "reversal without eventId": reversal.Remove("eventId"); return reversal;
            case "unknown eventId": reversal["eventId"] = Guid.NewGuid(); return reversal;
            case "eventId of another account": reversal["eventId"] = other.Duplicate; return reversal;
            case "reversal of a non-money event": reversal["eventId"] = account.Opened; return reversal;
            case "effectiveAt in the future": adjustment["effectiveAt"] = DateTimeOffset.UtcNow.AddDays(1); return adjustment;
            case "effectiveAt before the account opened": adjustment["effectiveAt"] = DateTimeOffset.UtcNow.AddYears(-1); return adjustment;
            default: throw new ArgumentOutOfRangeException(nameof(bad), bad, "No such bad request.");
        }
    }

    private static string CorrectionsUrl(string accountId) => $"/api/accounts/{accountId}/corrections";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string accountId, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = Json(body);
        return await client.PostAsync(CorrectionsUrl(accountId), content, cancellationToken);
    }

    /// <summary>Signs in through the login form and returns the Cookie header that carries the session.</summary>
    private async Task<string> SignInAsync(string userName, CancellationToken cancellationToken)
    {
        using var browser = new BrowserSession(host.CreateClient());
        using var signIn = await browser.SignInAsync(userName, DashboardFactory.DevPassword, cancellationToken);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie), $"Signing in as {userName} answered {(int)signIn.StatusCode} and set no auth cookie.");
        var cookies = new CookieContainer();
        var site = new Uri("http://localhost");
        foreach (var setCookie in signIn.Headers.GetValues("Set-Cookie"))
            cookies.SetCookies(site, setCookie);
        return cookies.GetCookieHeader(site);
    }

    private async Task<JsonElement> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        using var response = await client.GetAsync($"/api/accounts/{accountId}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return json.RootElement.Clone();
    }

    private async Task<JsonElement> GetEventAsync(string accountId, long revision, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        using var response = await client.GetAsync($"/api/accounts/{accountId}/events?fromRevision={revision}&count=1", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return Assert.Single(json.RootElement.GetProperty("events").EnumerateArray()).Clone();
    }

    /// <summary>The seeded account is as seeded: nothing was written to it.</summary>
    private async Task AssertUnchangedAsync(string accountId, CancellationToken cancellationToken)
    {
        var state = await GetAccountAsync(accountId, cancellationToken);
        Assert.Equal(3, state.GetProperty("revision").GetInt64());
        Assert.Equal(170m, state.GetProperty("balance").GetDecimal());
    }
}
