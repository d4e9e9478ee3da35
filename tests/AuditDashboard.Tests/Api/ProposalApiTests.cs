using System.Text.Json.Nodes;
using static AuditDashboard.Tests.Support.ApiJson;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// Four eyes over HTTP on the shared host: corrections above the approval threshold (10,000.00 EUR by default) are
/// proposed (202), listed by <c>GET /api/proposals</c>, and approved by another Support user or rejected. Every test
/// seeds an account of its own (revisions: 0 opened, 1 deposit 50,000.00 EUR, 2 the same deposit recorded again,
/// 3 withdrawal 30.00; balance 99,970.00 at revision 3), so reversing the duplicate needs approval.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class ProposalApiTests(DashboardHost host)
{
    private const string SupportKey = CorrectionApiTests.SupportKey;
    private const string ApproverKey = "dev-approver-key-6d4c18";
    private const string Proposer = "api-key:dev-support";
    private const string Approver = "api-key:dev-approver";
    private const string Reason = "Deposit recorded twice by the gateway";
    private const string RejectReason = "Not a duplicate: two real transfers";
    private const decimal SeededBalance = 99_970m;
    private const long SeededRevision = 3;

    [Fact(Timeout = 30_000)]
    public async Task AReversalAboveTheThreshold_Answers202Pending_LeavesTheBalance_AndIsListedWithItsDetails()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();

        using var response = await PostCorrectionAsync(client, account.Id, Reversal(account.Duplicate, SeededRevision, commandId), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Accepted, response, cancellationToken);
        Assert.Equal("/api/proposals?status=pending", response.Headers.Location?.OriginalString);
        using (var accepted = await ReadJsonAsync(response, cancellationToken))
        {
            var body = accepted.RootElement;
            Assert.Equal("pending", body.GetProperty("status").GetString());
            Assert.Equal(4, body.GetProperty("revision").GetInt64());
            Assert.Equal(commandId, body.GetProperty("proposalId").GetGuid());
            Assert.Equal(AccountEventTypes.CorrectionProposed, body.GetProperty("eventType").GetString());
            Assert.Contains("threshold (10,000.00 EUR)", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(SeededBalance, state.GetProperty("balance").GetDecimal());
        Assert.Equal(4, state.GetProperty("revision").GetInt64());

        var listed = await WaitForProposalAsync("pending", account.Id, commandId, cancellationToken);
        Assert.Equal(account.Id, listed.GetProperty("accountId").GetString());
        Assert.Equal(4, listed.GetProperty("revision").GetInt64());
        Assert.Equal(Proposer, listed.GetProperty("proposedBy").GetString());
        Assert.Equal(Reason, listed.GetProperty("reason").GetString());
        Assert.Equal(AccountEventTypes.TransactionReversed, listed.GetProperty("correction").GetString());
        Assert.Equal(account.Duplicate, listed.GetProperty("eventId").GetGuid());
        Assert.Equal(2, listed.GetProperty("eventRevision").GetInt64());
        Assert.Equal(-50_000m, listed.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", listed.GetProperty("currency").GetString());
        Assert.Equal("pending", listed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("decidedBy").ValueKind);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("10000.01")]
    [InlineData("-12000.00")]
    public async Task AnAdjustmentAboveTheThreshold_EitherWay_Answers202_AndLeavesTheBalance(string amountText)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var amount = decimal.Parse(amountText, System.Globalization.CultureInfo.InvariantCulture);
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);
        var body = Adjustment(amount, SeededRevision);
        var commandId = body["commandId"]!.GetValue<Guid>();

        using var response = await PostCorrectionAsync(client, account.Id, body, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Accepted, response, cancellationToken);
        using (var accepted = await ReadJsonAsync(response, cancellationToken))
        {
            Assert.Equal("pending", accepted.RootElement.GetProperty("status").GetString());
            Assert.Equal(commandId, accepted.RootElement.GetProperty("proposalId").GetGuid());
        }

        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(SeededBalance, state.GetProperty("balance").GetDecimal());
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        var listed = await WaitForProposalAsync("pending", account.Id, commandId, cancellationToken);
        Assert.Equal(AccountEventTypes.BalanceCorrected, listed.GetProperty("correction").GetString());
        Assert.Equal(amount, listed.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", listed.GetProperty("currency").GetString());
        Assert.Equal(Proposer, listed.GetProperty("proposedBy").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("eventRevision").ValueKind);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("10000.00")]
    [InlineData("-10000.00")]
    [InlineData("9999.99")]
    public async Task AnAdjustmentAtOrBelowTheThreshold_IsWrittenAtOnce_With201(string amountText)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var amount = decimal.Parse(amountText, System.Globalization.CultureInfo.InvariantCulture);
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(SupportKey);

        using var response = await PostCorrectionAsync(client, account.Id, Adjustment(amount, SeededRevision), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, response, cancellationToken);
        using (var created = await ReadJsonAsync(response, cancellationToken))
            Assert.Equal(AccountEventTypes.BalanceCorrected, created.RootElement.GetProperty("eventType").GetString());
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(SeededBalance + amount, state.GetProperty("balance").GetDecimal());
        Assert.Equal(4, state.GetProperty("revision").GetInt64());
        Assert.Empty(await ListProposalsAsync("all", account.Id, cancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task ApprovalByAnotherSupportUser_Answers201_WritesTheApprovalThenTheCorrection_AndMovesTheBalance()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var approver = host.CreateClient(ApproverKey);
        var commandId = Guid.NewGuid();

        using var response = await DecideAsync(approver, account.Id, proposalId, "approve", Decision(commandId, "Checked against the gateway log"), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, response, cancellationToken);
        Assert.Equal($"/api/accounts/{account.Id}/events?fromRevision=5&count=2", response.Headers.Location?.OriginalString);
        using (var approved = await ReadJsonAsync(response, cancellationToken))
        {
            var body = approved.RootElement;
            Assert.Equal("approved", body.GetProperty("status").GetString());
            Assert.Equal(5, body.GetProperty("approvalRevision").GetInt64());
            Assert.Equal(6, body.GetProperty("revision").GetInt64());
            Assert.Equal(AccountEventTypes.TransactionReversed, body.GetProperty("eventType").GetString());
        }

        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(49_970m, state.GetProperty("balance").GetDecimal());
        Assert.Equal(6, state.GetProperty("revision").GetInt64());

        var events = await GetEventsAsync(account.Id, 5, 2, cancellationToken);
        Assert.Equal(2, events.Count);
        var approval = events[0];
        Assert.Equal(5, approval.GetProperty("revision").GetInt64());
        Assert.Equal(commandId, approval.GetProperty("eventId").GetGuid());
        Assert.Equal(AccountEventTypes.CorrectionApproved, approval.GetProperty("eventType").GetString());
        Assert.Equal(proposalId, approval.GetProperty("data").GetProperty("proposalId").GetGuid());
        Assert.Equal(4, approval.GetProperty("data").GetProperty("proposalRevision").GetInt64());
        Assert.Equal(Approver, approval.GetProperty("metadata").GetProperty("actor").GetString());
        Assert.Equal("Checked against the gateway log", approval.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(SeededBalance, approval.GetProperty("balanceAfter").GetDecimal());

        var correction = events[1];
        Assert.Equal(6, correction.GetProperty("revision").GetInt64());
        Assert.Equal(CorrectionService.CorrectionIdFor(proposalId), correction.GetProperty("eventId").GetGuid());
        Assert.Equal(AccountEventTypes.TransactionReversed, correction.GetProperty("eventType").GetString());
        Assert.Equal(account.Duplicate, correction.GetProperty("data").GetProperty("reversedEventId").GetGuid());
        Assert.Equal(-50_000m, correction.GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal(49_970m, correction.GetProperty("balanceAfter").GetDecimal());
        var metadata = correction.GetProperty("metadata");
        Assert.Equal(Approver, metadata.GetProperty("approvedBy").GetString());
        Assert.Equal(Proposer, metadata.GetProperty("actor").GetString());
        Assert.Equal(Reason, metadata.GetProperty("reason").GetString());
        Assert.Equal(account.Duplicate, Guid.Parse(metadata.GetProperty("causationId").GetString()!));

        var decided = await WaitForProposalAsync("approved", account.Id, proposalId, cancellationToken);
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal(Approver, decided.GetProperty("decidedBy").GetString());
        Assert.Equal(5, decided.GetProperty("decisionRevision").GetInt64());
        Assert.DoesNotContain(await ListProposalsAsync("pending", account.Id, cancellationToken), p => p.GetProperty("proposalId").GetGuid() == proposalId);
        Assert.DoesNotContain(await ListProposalsAsync("rejected", account.Id, cancellationToken), p => p.GetProperty("proposalId").GetGuid() == proposalId);
        Assert.Contains(await ListProposalsAsync("decided", account.Id, cancellationToken), p => p.GetProperty("proposalId").GetGuid() == proposalId);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheProposerApprovingTheirOwnProposal_Gets403_AndNothingIsWritten()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var proposer = host.CreateClient(SupportKey);

        using var response = await DecideAsync(proposer, account.Id, proposalId, "approve", Decision(Guid.NewGuid()), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Forbidden, response, cancellationToken);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = await ReadJsonAsync(response, cancellationToken))
        {
            Assert.Equal("You cannot approve your own proposal.", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains(Proposer, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
        var listed = await WaitForProposalAsync("pending", account.Id, proposalId, cancellationToken);
        Assert.Equal("pending", listed.GetProperty("status").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheProposerMayRejectTheirOwn_With200_AndAnApprovalAfterwardsGets409()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var proposer = host.CreateClient(SupportKey);
        using var approver = host.CreateClient(ApproverKey);

        using (var rejected = await DecideAsync(proposer, account.Id, proposalId, "reject", Decision(Guid.NewGuid(), RejectReason), cancellationToken))
        {
            await AssertStatusAsync(HttpStatusCode.OK, rejected, cancellationToken);
            using var body = await ReadJsonAsync(rejected, cancellationToken);
            Assert.Equal("rejected", body.RootElement.GetProperty("status").GetString());
            Assert.Equal(5, body.RootElement.GetProperty("revision").GetInt64());
        }

        await AssertAccountAsync(account.Id, 5, SeededBalance, cancellationToken);
        var decided = await WaitForProposalAsync("rejected", account.Id, proposalId, cancellationToken);
        Assert.Equal(Proposer, decided.GetProperty("decidedBy").GetString());
        Assert.Equal(RejectReason, decided.GetProperty("decisionReason").GetString());
        Assert.Equal(5, decided.GetProperty("decisionRevision").GetInt64());

        using var response = await DecideAsync(approver, account.Id, proposalId, "approve", Decision(Guid.NewGuid()), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Conflict, response, cancellationToken);
        using (var problem = await ReadJsonAsync(response, cancellationToken))
        {
            Assert.Equal(5, problem.RootElement.GetProperty("decisionRevision").GetInt64());
            Assert.Contains("rejected", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertAccountAsync(account.Id, 5, SeededBalance, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(null)]
    [InlineData(5)]
    [InlineData(10_000)]
    public async Task ARejectionWithoutAReasonOf10To1000Characters_Answers400_AndWritesNothing(int? reasonLength)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);
        var body = Decision(Guid.NewGuid(), reasonLength is { } length ? new string('r', length) : null);

        using var response = await DecideAsync(client, account.Id, proposalId, "reject", body, cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        var message = Assert.Single(errors.GetProperty("reason").EnumerateArray()).GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task RetryingAnApprovalWithTheSameCommandId_AnswersTheSame201_AndWritesOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var approver = host.CreateClient(ApproverKey);
        var body = Decision(Guid.NewGuid());
        string first;
        using (var response = await DecideAsync(approver, account.Id, proposalId, "approve", body, cancellationToken))
        {
            await AssertStatusAsync(HttpStatusCode.Created, response, cancellationToken);
            first = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        using var again = await DecideAsync(approver, account.Id, proposalId, "approve", body, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Created, again, cancellationToken);
        Assert.Equal(first, await again.Content.ReadAsStringAsync(cancellationToken));
        using (var json = JsonDocument.Parse(first))
            Assert.Equal(6, json.RootElement.GetProperty("revision").GetInt64());
        await AssertAccountAsync(account.Id, 6, 49_970m, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnUnknownProposal_Answers404_AndWritesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);
        var unknown = Guid.NewGuid();

        using var approve = await DecideAsync(client, account.Id, unknown, "approve", Decision(Guid.NewGuid()), cancellationToken);
        using var reject = await DecideAsync(client, account.Id, unknown, "reject", Decision(Guid.NewGuid(), RejectReason), cancellationToken);

        foreach (var response in new[] { approve, reject })
        {
            await AssertStatusAsync(HttpStatusCode.NotFound, response, cancellationToken);
            using var problem = await ReadJsonAsync(response, cancellationToken);
            Assert.Contains(unknown.ToString(), problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AProposalOfAnotherAccount_Answers404_AndWritesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var other = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);

        using var response = await DecideAsync(client, other.Id, proposalId, "approve", Decision(Guid.NewGuid()), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.NotFound, response, cancellationToken);
        await AssertAccountAsync(other.Id, SeededRevision, SeededBalance, cancellationToken);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnUnknownAccount_Answers404()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(ApproverKey);
        const string unknown = "PRO-NO-SUCH-ACCOUNT";

        using var response = await DecideAsync(client, unknown, Guid.NewGuid(), "approve", Decision(Guid.NewGuid()), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.NotFound, response, cancellationToken);
        using var problem = await ReadJsonAsync(response, cancellationToken);
        Assert.Contains(unknown, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task ADecisionThatIsNotJson_Answers415_AndWritesNothing(string action)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["commandId"] = Guid.NewGuid().ToString(),
            ["reason"] = RejectReason,
        });

        using var response = await client.PostAsync(DecisionUrl(account.Id, proposalId, action), form, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.UnsupportedMediaType, response, cancellationToken);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("approve", "{\"commandId\": ")]
    [InlineData("reject", "this is not JSON")]
    [InlineData("approve", "{\"commandId\": \"not-a-guid\"}")]
    public async Task MalformedJson_Answers400_AndWritesNothing(string action, string json)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(DecisionUrl(account.Id, proposalId, action), content, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.BadRequest, response, cancellationToken);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("approve", null)]
    [InlineData("approve", "00000000-0000-0000-0000-000000000000")]
    [InlineData("reject", null)]
    public async Task ADecisionWithoutACommandId_Answers400_AndWritesNothing(string action, string? commandId)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(ApproverKey);
        var body = new JsonObject { ["reason"] = RejectReason };
        if (commandId is not null)
            body["commandId"] = commandId;

        using var response = await DecideAsync(client, account.Id, proposalId, action, body, cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.True(errors.TryGetProperty("commandId", out _), errors.ToString());
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheRulesAreCheckedAgainAtApproval_AClosedAccountRefusesIt_With400_AndNothingIsWritten()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        await Ledger.AppendAsync(host.Store, account.Id, [Ledger.Encode(new AccountClosed(), Ledger.By("carla", "Customer left"))], cancellationToken);
        using var approver = host.CreateClient(ApproverKey);

        using var response = await DecideAsync(approver, account.Id, proposalId, "approve", Decision(Guid.NewGuid()), cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.Contains("closed", Assert.Single(errors.GetProperty("account").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var state = await GetAccountAsync(account.Id, cancellationToken);
        Assert.Equal(5, state.GetProperty("revision").GetInt64());
        Assert.Equal(SeededBalance, state.GetProperty("balance").GetDecimal());
        Assert.Equal("Closed", state.GetProperty("status").GetString());
        var listed = await WaitForProposalAsync("pending", account.Id, proposalId, cancellationToken);
        Assert.Equal("pending", listed.GetProperty("status").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task MarkupInAProposalsReason_IsStoredAsGiven_AndListedAsJsonText()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        const string markup = "<script>alert(1)</script> reason";
        var proposalId = await ProposeReversalAsync(account, cancellationToken, markup);
        await WaitForProposalAsync("pending", account.Id, proposalId, cancellationToken);
        using var client = host.CreateClient(SupportKey);

        using var response = await client.GetAsync($"/api/proposals?status=pending&account={account.Id}", cancellationToken);

        await AssertStatusAsync(HttpStatusCode.OK, response, cancellationToken);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // JSON, never HTML: the markup is a string value, kept as given (a browser neither renders nor runs it from application/json).
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = JsonDocument.Parse(text);
        var listed = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(markup, listed.GetProperty("reason").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
    }

    public static TheoryData<string, string> RefusedKeysAndEndpoints { get; } = new()
    {
        { DashboardFactory.OperatorKey, "list" },
        { DashboardFactory.OperatorKey, "approve" },
        { DashboardFactory.OperatorKey, "reject" },
        { CorrectionApiTests.ComplianceKey, "list" },
        { CorrectionApiTests.ComplianceKey, "approve" },
        { CorrectionApiTests.ComplianceKey, "reject" },
        { DashboardFactory.MonitorKey, "list" },
        { DashboardFactory.MonitorKey, "approve" },
        { DashboardFactory.MonitorKey, "reject" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(RefusedKeysAndEndpoints))]
    public async Task AKeyWithoutTheSupportRole_Gets403_AndWritesNothing(string apiKey, string endpoint)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient(apiKey);

        using var response = await CallAsync(client, endpoint, account.Id, proposalId, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Forbidden, response, cancellationToken);
        Assert.DoesNotContain(account.Id, await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("list")]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task WithoutCredentials_Gets401_AndWritesNothing(string endpoint)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var client = host.CreateClient();

        using var response = await CallAsync(client, endpoint, account.Id, proposalId, cancellationToken);

        await AssertStatusAsync(HttpStatusCode.Unauthorized, response, cancellationToken);
        Assert.DoesNotContain(account.Id, await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("bogus")]
    [InlineData("open")]
    public async Task AnUnknownStatus_Answers400WithTheStatusError(string status)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(SupportKey);

        using var response = await client.GetAsync($"/api/proposals?status={status}", cancellationToken);

        var errors = await AssertValidationProblemAsync(response, cancellationToken);
        Assert.True(errors.TryGetProperty("status", out _), errors.ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheAccountFilter_ListsOnlyThatAccountsProposals_AndAllListsPendingAndDecided()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var other = await SeedAsync(cancellationToken);
        var decided = await ProposeReversalAsync(account, cancellationToken);
        using (var approver = host.CreateClient(ApproverKey))
        using (var approved = await DecideAsync(approver, account.Id, decided, "approve", Decision(Guid.NewGuid()), cancellationToken))
            await AssertStatusAsync(HttpStatusCode.Created, approved, cancellationToken);
        var pending = await ProposeAdjustmentAsync(account, 20_000m, 6, cancellationToken);
        var elsewhere = await ProposeReversalAsync(other, cancellationToken);
        await WaitForProposalAsync("approved", account.Id, decided, cancellationToken);
        await WaitForProposalAsync("pending", account.Id, pending, cancellationToken);
        await WaitForProposalAsync("pending", other.Id, elsewhere, cancellationToken);

        var all = await ListProposalsAsync("ALL", account.Id, cancellationToken);
        var onlyPending = await ListProposalsAsync("pending", account.Id, cancellationToken);

        Assert.Equal(new[] { decided, pending }.Order(), all.Select(p => p.GetProperty("proposalId").GetGuid()).Order());
        Assert.All(all, p => Assert.Equal(account.Id, p.GetProperty("accountId").GetString()));
        Assert.Equal(pending, Assert.Single(onlyPending).GetProperty("proposalId").GetGuid());
    }

    private sealed record SeededAccount(string Id, Guid Opened, Guid Deposit, Guid Duplicate, Guid Withdrawal);

    /// <summary>An account of the calling test's own, with a deposit of 50,000.00 EUR recorded twice.</summary>
    private async Task<SeededAccount> SeedAsync(CancellationToken cancellationToken)
    {
        var id = "PRO-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var events = new List<EventData>
        {
            Ledger.Encode(new AccountOpened(id, "Paola Rossi", "EUR"), Ledger.By("olivia", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(50_000m, "EUR", "TRX-50K"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsDeposited(50_000m, "EUR", "TRX-50K"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsWithdrawn(30m, "EUR", null), Ledger.By("olivia", "Withdrawal")),
        };
        await Ledger.AppendAsync(host.Store, id, events, cancellationToken);
        return new SeededAccount(id, events[0].EventId, events[1].EventId, events[2].EventId, events[3].EventId);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("reject", "Not a duplicate:\u202E two real transfers", "The reason contains a right-to-left override (U+202E) at position 17; remove it.")]
    [InlineData("reject", "\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", "The reason must be at least 10 characters; it has 0")]
    [InlineData("approve", "Checked\0 with the gateway", "The reason contains a null character (U+0000) at position 8; remove it.")]
    [InlineData("approve", "Checked with \u2067the gateway", "The reason contains a right-to-left isolate (U+2067) at position 14; remove it.")]
    public async Task ADecisionWhoseReasonHidesWhatItSays_Answers400NamingTheProblem_AndWritesNothing(string action, string reason, string message)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var proposalId = await ProposeReversalAsync(account, cancellationToken);
        using var approver = host.CreateClient(ApproverKey);

        using var response = await DecideAsync(approver, account.Id, proposalId, action, Decision(Guid.NewGuid(), reason), cancellationToken);

        await AssertStatusAsync(HttpStatusCode.BadRequest, response, cancellationToken);
        using (var problem = await ReadJsonAsync(response, cancellationToken))
            Assert.StartsWith(message, problem.RootElement.GetProperty("errors").GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        await AssertAccountAsync(account.Id, 4, SeededBalance, cancellationToken);
    }

    /// <summary>Proposes (as dev-support) reversing the duplicate deposit: the proposal is revision 4.</summary>
    private async Task<Guid> ProposeReversalAsync(SeededAccount account, CancellationToken cancellationToken, string reason = Reason)
    {
        using var client = host.CreateClient(SupportKey);
        var commandId = Guid.NewGuid();
        var body = Reversal(account.Duplicate, SeededRevision, commandId);
        body["reason"] = reason;
        using var response = await PostCorrectionAsync(client, account.Id, body, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, response, cancellationToken);
        return commandId;
    }

    private async Task<Guid> ProposeAdjustmentAsync(SeededAccount account, decimal amount, long expectedRevision, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(SupportKey);
        var body = Adjustment(amount, expectedRevision);
        using var response = await PostCorrectionAsync(client, account.Id, body, cancellationToken);
        await AssertStatusAsync(HttpStatusCode.Accepted, response, cancellationToken);
        return body["commandId"]!.GetValue<Guid>();
    }

    private static JsonObject Reversal(Guid eventId, long expectedRevision, Guid commandId) => CorrectionBodies.Reversal(eventId, expectedRevision, Reason, commandId);

    private static JsonObject Adjustment(decimal amount, long expectedRevision) => CorrectionBodies.Adjustment(amount, expectedRevision, Reason);

    private static JsonObject Decision(Guid commandId, string? reason = null)
    {
        var body = new JsonObject { ["commandId"] = commandId };
        if (reason is not null)
            body["reason"] = reason;
        return body;
    }

    private static string DecisionUrl(string accountId, Guid proposalId, string action) => $"/api/accounts/{accountId}/proposals/{proposalId}/{action}";

    private static async Task<HttpResponseMessage> PostCorrectionAsync(HttpClient client, string accountId, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = Json(body);
        return await client.PostAsync($"/api/accounts/{accountId}/corrections", content, cancellationToken);
    }

    private static async Task<HttpResponseMessage> DecideAsync(
        HttpClient client, string accountId, Guid proposalId, string action, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = Json(body);
        return await client.PostAsync(DecisionUrl(accountId, proposalId, action), content, cancellationToken);
    }

    /// <summary>Calls one of the Support-only endpoints with a body that would otherwise succeed.</summary>
    private static Task<HttpResponseMessage> CallAsync(HttpClient client, string endpoint, string accountId, Guid proposalId, CancellationToken cancellationToken) => endpoint switch
    {
        "list" => client.GetAsync($"/api/proposals?status=all&account={accountId}", cancellationToken),
        "approve" => DecideAsync(client, accountId, proposalId, "approve", Decision(Guid.NewGuid()), cancellationToken),
        "reject" => DecideAsync(client, accountId, proposalId, "reject", Decision(Guid.NewGuid(), RejectReason), cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "No such endpoint."),
    };

    private async Task<List<JsonElement>> ListProposalsAsync(string status, string accountId, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(SupportKey);
        using var response = await client.GetAsync($"/api/proposals?status={status}&account={accountId}", cancellationToken);
        await AssertStatusAsync(HttpStatusCode.OK, response, cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        var items = json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.Equal(items.Count, json.RootElement.GetProperty("total").GetInt32());
        return items;
    }

    /// <summary>
    /// The proposal as <c>GET /api/proposals</c> lists it under <paramref name="status"/>: the list is a read model fed
    /// by the ledger feed, so it may lag a write by a moment; waits a bounded while, then fails.
    /// </summary>
    private async Task<JsonElement> WaitForProposalAsync(string status, string accountId, Guid proposalId, CancellationToken cancellationToken)
    {
        List<JsonElement> found = [];
        await Eventually.UntilAsync(
            async ct =>
            {
                var items = await ListProposalsAsync(status, accountId, ct);
                found = [.. items.Where(p => p.GetProperty("proposalId").GetGuid() == proposalId)];
                return found.Count > 0;
            },
            $"proposal {proposalId} listed under status={status}",
            Ledger.Patience,
            cancellationToken);
        return Assert.Single(found);
    }

    private async Task<JsonElement> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        using var response = await client.GetAsync($"/api/accounts/{accountId}", cancellationToken);
        await AssertStatusAsync(HttpStatusCode.OK, response, cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return json.RootElement.Clone();
    }

    private async Task<List<JsonElement>> GetEventsAsync(string accountId, long fromRevision, int count, CancellationToken cancellationToken)
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        using var response = await client.GetAsync($"/api/accounts/{accountId}/events?fromRevision={fromRevision}&count={count}", cancellationToken);
        await AssertStatusAsync(HttpStatusCode.OK, response, cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task AssertAccountAsync(string accountId, long revision, decimal balance, CancellationToken cancellationToken)
    {
        var state = await GetAccountAsync(accountId, cancellationToken);
        Assert.Equal(revision, state.GetProperty("revision").GetInt64());
        Assert.Equal(balance, state.GetProperty("balance").GetDecimal());
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.Fail($"Expected {(int)expected} {expected}; got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }
}
