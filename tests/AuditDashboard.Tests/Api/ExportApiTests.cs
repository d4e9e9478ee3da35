using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/accounts/{id}/export</c> and the access log on the shared host. Each test seeds an account of its own
/// (revisions: 0 opened, 1 +100.00, then 50 ms later 2 −30.00 with a formula as its reason, 3 an unknown event type, 4 non-JSON data of a
/// known type, 5 +5.00), and finds its own export in the access log by the export id the response names.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class ExportApiTests(DashboardHost host)
{
    private const string ComplianceKey = CorrectionApiTests.ComplianceKey;
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";

    [Theory(Timeout = 30_000)]
    [InlineData("csv", "text/csv")]
    [InlineData("ndjson", "application/x-ndjson")]
    public async Task Export_ByAComplianceReviewer_StreamsAFileThatVerifies_AndIsOnTheRecordWithItsDigest(string format, string contentType)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/accounts/{account}/export?format={format}", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var fileName = response.Content.Headers.ContentDisposition?.FileNameStar;
        Assert.StartsWith($"{account}_recorded_", fileName, StringComparison.Ordinal);
        Assert.EndsWith("." + format, fileName, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var result = ExportVerifier.Verify(new MemoryStream(bytes));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(6, result.Count);

        var exportId = Guid.Parse(response.Headers.GetValues("X-Export-Id").Single());
        var recorded = await FindRecordAsync(exportId, cancellationToken);
        Assert.Equal(ExportOutcome.Completed, recorded.Outcome);
        Assert.Equal(result.Digest, recorded.Digest);
        Assert.Equal(6, recorded.Count);
        Assert.Equal(account, recorded.AccountId);
        Assert.Equal("api-key:dev-compliance", recorded.ExportedBy);
        Assert.Equal(format, recorded.Format);
    }

    [Fact(Timeout = 30_000)]
    public async Task CsvExport_NeutralisesTheFormulaInAReason_FlagsTheOddEvents_AndStillVerifies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);

        var text = await client.GetStringAsync($"/api/accounts/{account}/export?format=csv", cancellationToken);

        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("\"-30.00\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"{nameof(EntryWarning.UnknownType)}\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"{nameof(EntryWarning.Unreadable)}\"", text, StringComparison.Ordinal);
        Assert.True(ExportVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(text))).IsValid);
    }

    [Fact(Timeout = 30_000)]
    public async Task PdfExport_IsAPdf_AndIsRecorded()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/accounts/{account}/export?format=pdf&view=corrected", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        var recorded = await FindRecordAsync(Guid.Parse(response.Headers.GetValues("X-Export-Id").Single()), cancellationToken);
        Assert.Equal(("pdf", "corrected", ExportOutcome.Completed), (recorded.Format, recorded.View, recorded.Outcome));
        Assert.Matches("^[0-9a-f]{64}$", recorded.Digest);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("csv")]
    [InlineData("ndjson")]
    [InlineData("pdf")]
    public async Task Export_IsSignedWithTheCurrentKey_AndTheAccessLogRecordsTheKeyAndTheSignature(string format)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var keys = host.Factory.Services.GetRequiredService<ISigningKeys>();
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/accounts/{account}/export?format={format}", cancellationToken);

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var rows = format == "pdf" ? PdfExportAttachment.Read(new MemoryStream(bytes)).Bytes : bytes;
        var result = ExportVerifier.Verify(new MemoryStream(rows));
        Assert.True(result.IsValid, result.Message);
        var authenticity = ExportAuthenticity.Check(result, keys.Published);
        Assert.True(authenticity.IsAuthentic, authenticity.Message);
        Assert.Equal(keys.Current.KeyId, authenticity.Key?.KeyId);
        var recorded = await FindRecordAsync(Guid.Parse(response.Headers.GetValues("X-Export-Id").Single()), cancellationToken);
        Assert.Equal((keys.Current.KeyId, result.Signature!.Value, result.Digest), (recorded.KeyId, recorded.Signature, recorded.Digest));
    }

    [Fact(Timeout = 30_000)]
    public async Task Range_KeepsOnlyTheEventsInside_WhileBalancesCountTheWholeHistory()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var stored = await host.Store.ReadStreamAsync(AccountIds.StreamOf(account), Direction.Forwards, 0, 100, cancellationToken).ToListAsync(cancellationToken);
        var from = ExportText.Time(stored[2].Created);
        using var client = host.CreateClient(ComplianceKey);

        var text = await client.GetStringAsync($"/api/accounts/{account}/export?format=ndjson&from={Uri.EscapeDataString(from)}", cancellationToken);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var events = lines.Where(l => l.GetProperty("kind").GetString() == "event").ToList();
        Assert.Equal([2L, 3L, 4L, 5L], events.Select(e => e.GetProperty("stream_revision").GetInt64()));
        Assert.Equal("70.00", events.First(e => e.GetProperty("stream_revision").GetInt64() == 2).GetProperty("balance_after").GetString());
        Assert.True(ExportVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(text))).IsValid);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(CorrectionApiTests.SupportKey)]
    [InlineData(DashboardFactory.OperatorKey)]
    [InlineData(DashboardFactory.MonitorKey)]
    public async Task Export_ByAnyOtherRole_Is403_AndNothingIsRecorded(string key)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);
        using var client = host.CreateClient(key);

        using var export = await client.GetAsync($"/api/accounts/{DashboardHost.Alice}/export?format=csv", cancellationToken);
        using var log = await client.GetAsync("/api/access-log", cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, log.StatusCode);
        Assert.DoesNotContain("Alice", await export.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, await AccessLog.CountAsync(host.Store, cancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task Export_WithoutSignIn_Is401()
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync($"/api/accounts/{DashboardHost.Alice}/export?format=csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("format=xml", "format")]
    [InlineData("", "format")]
    [InlineData("format=csv&view=sideways", "view")]
    [InlineData("format=csv&from=yesterday", "from")]
    [InlineData("format=csv&to=2026-13-01", "to")]
    [InlineData("format=csv&from=2026-05-02&to=2026-05-01", "to")]
    [InlineData("format=csv&exportId=not-a-guid", "exportId")]
    public async Task BadQuery_Is400NamingTheField_AndNothingIsRecorded(string query, string field)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/accounts/{DashboardHost.Alice}/export?{query}", cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), problem.RootElement.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(before, await AccessLog.CountAsync(host.Store, cancellationToken));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("NOPE-0000")]
    [InlineData("bad id!")]
    public async Task UnknownAccount_Is404(string id)
    {
        using var client = host.CreateClient(ComplianceKey);
        using var response = await client.GetAsync($"/api/accounts/{Uri.EscapeDataString(id)}/export?format=csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task AccessLogEndpoint_ListsTheNewestExportFirst()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);
        using (var export = await client.GetAsync($"/api/accounts/{account}/export?format=csv&from=2020-01-01&to=2999-12-31", cancellationToken))
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);

        using var log = JsonDocument.Parse(await client.GetStringAsync("/api/access-log?take=5", cancellationToken));

        Assert.True(log.RootElement.GetProperty("total").GetInt64() >= 1);
        var newest = log.RootElement.GetProperty("items")[0].GetProperty("export");
        Assert.Equal(account, newest.GetProperty("accountId").GetString());
        Assert.Equal("Completed", newest.GetProperty("outcome").GetString());
        Assert.StartsWith("2020-01-01T00:00:00", newest.GetProperty("from").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Export_UnderAnExportIdAlreadyInTheAccessLog_Is409_SendsNoFile_AndTheLogKeepsOneExportUnderIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);
        var exportId = Guid.NewGuid();
        using (var first = await client.GetAsync($"/api/accounts/{account}/export?format=csv&exportId={exportId}", cancellationToken))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);

        using var again = await client.GetAsync($"/api/accounts/{account}/export?format=ndjson&exportId={exportId}", cancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Null(again.Content.Headers.ContentDisposition);
        var text = await again.Content.ReadAsStringAsync(cancellationToken);
        Assert.DoesNotContain("Eva Export", text, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(text);
        Assert.Contains("already used", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await AccessLog.CountAsync(host.Store, cancellationToken));
        Assert.Equal(("TimelineExportStarted", "TimelineExported"), await EntriesOfAsync(exportId, cancellationToken) switch
        {
            [var started, var ended] => (started.EventType, ended.EventType),
            var other => throw new Xunit.Sdk.XunitException($"Export {exportId} has {other.Count} access-log entries, not a start and an end."),
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Export_UnderAnotherUsersExportId_Is409()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var carla = new BrowserSession(host.CreateClient());
        using (var signIn = await carla.SignInAsync("carla", DashboardFactory.DevPassword, cancellationToken))
            Assert.True(carla.HasCookie(BrowserSession.AuthCookie), $"Signing in as carla answered {(int)signIn.StatusCode}.");
        var exportId = Guid.NewGuid();
        using (var hers = await carla.GetAsync($"/api/accounts/{account}/export?format=csv&exportId={exportId}", cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, hers.StatusCode);
            await hers.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        using var client = host.CreateClient(ComplianceKey);
        using var mine = await client.GetAsync($"/api/accounts/{account}/export?format=csv&exportId={exportId}", cancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, mine.StatusCode);
        Assert.Equal(["carla"], (await EntriesOfAsync(exportId, cancellationToken)).Select(e => e.Export?.ExportedBy ?? e.Started?.ExportedBy).Distinct());
    }

    [Fact(Timeout = 30_000)]
    public async Task EveryFile_HasAStartAndAnEndOfItsOwnInTheAccessLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(ComplianceKey);
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);

        var ids = new List<Guid>();
        foreach (var format in new[] { "csv", "csv", "ndjson" })
        {
            using var response = await client.GetAsync($"/api/accounts/{account}/export?format={format}", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(ExportVerifier.Verify(new MemoryStream(await response.Content.ReadAsByteArrayAsync(cancellationToken))).IsValid);
            ids.Add(Guid.Parse(response.Headers.GetValues("X-Export-Id").Single()));
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(before + 6, await AccessLog.CountAsync(host.Store, cancellationToken));
        foreach (var id in ids)
        {
            var entries = await EntriesOfAsync(id, cancellationToken);
            Assert.Equal(["TimelineExportStarted", "TimelineExported"], entries.Select(e => e.EventType));
            Assert.Equal(account, entries[0].Started?.AccountId);
            Assert.Equal(ExportOutcome.Completed, entries[1].Export?.Outcome);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task ConcurrentExports_UnderOneNewExportId_SendOneFile_AndTheOthersAre409()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        var exportId = Guid.NewGuid();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 6).Select(_ => Task.Run(
            async () =>
            {
                using var client = host.CreateClient(ComplianceKey);
                await gate.Task;
                using var response = await client.GetAsync($"/api/accounts/{account}/export?format=csv&exportId={exportId}", cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return (response.StatusCode, Verified: response.StatusCode == HttpStatusCode.OK && ExportVerifier.Verify(new MemoryStream(body)).IsValid);
            },
            cancellationToken)).ToList();

        gate.SetResult();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.True(answers.Single(a => a.StatusCode == HttpStatusCode.OK).Verified);
        Assert.Equal(["TimelineExportStarted", "TimelineExported"], (await EntriesOfAsync(exportId, cancellationToken)).Select(e => e.EventType));
    }

    /// <summary>The access-log entries that name <paramref name="exportId"/>, oldest first.</summary>
    private async Task<List<AccessLogEntry>> EntriesOfAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var entries = new List<AccessLogEntry>();
        await foreach (var entry in AccessLog.ReadNewestAsync(host.Store, 0, 10_000, cancellationToken))
        {
            if (entry.Export?.ExportId == exportId || entry.Started?.ExportId == exportId)
                entries.Add(entry);
        }

        entries.Reverse();
        return entries;
    }

    [Theory(Timeout = 30_000)]
    [InlineData("skip=-1", "skip")]
    [InlineData("skip=abc", "skip")]
    [InlineData("skip=1.5", "skip")]
    [InlineData("take=0", "take")]
    [InlineData("take=501", "take")]
    [InlineData("take=ten", "take")]
    [InlineData("skip=-1&take=0", "skip,take")]
    public async Task AccessLogEndpoint_WithABadSkipOrTake_Is400NamingTheParameter(string query, string parameters)
    {
        using var client = host.CreateClient(ComplianceKey);

        using var response = await client.GetAsync($"/api/access-log?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal(parameters.Split(','), errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(errors.EnumerateObject(), e => Assert.Contains(e.Name, e.Value[0].GetString(), StringComparison.Ordinal));
    }

    private Task<ExportRecorded> FindRecordAsync(Guid exportId, CancellationToken cancellationToken) =>
        ExportRecords.FindAsync(host.Store, exportId, cancellationToken);

    private async Task<string> SeedAsync(CancellationToken cancellationToken)
    {
        var id = "EXP-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        await Ledger.AppendAsync(host.Store, id,
        [
            Ledger.Encode(new AccountOpened(id, "Eva Export", "EUR"), Ledger.By("olivia", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(100.00m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
        ],
        cancellationToken);

        // A later commit time for the rest, so a range can start between the two appends.
        await Task.Delay(50, cancellationToken);
        await Ledger.AppendAsync(host.Store, id,
        [
            Ledger.Encode(new FundsWithdrawn(30.00m, "EUR", "TRX-2"), Ledger.By("sam", Formula)),
            Ledger.Raw("LegacyInterestAccrued", """{"amount":1.5}""", Ledger.By("legacy", "Batch")),
            Ledger.Raw(AccountEventTypes.FundsDeposited, "not json at all", Ledger.By("legacy", "Batch")),
            Ledger.Encode(new FundsDeposited(5.00m, "EUR", "TRX-3"), Ledger.By("olivia", "Deposit")),
        ],
        cancellationToken);
        return id;
    }
}
