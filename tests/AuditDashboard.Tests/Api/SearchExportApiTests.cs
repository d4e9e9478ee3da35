using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/events/search/export</c> on the shared host: each test seeds an account of its own (an opening, a
/// deposit, a withdrawal, an event of a type the dashboard does not know, a deposit whose data is not JSON, a deposit),
/// waits until the event index holds it, and exports the search for that account.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class SearchExportApiTests(DashboardHost host)
{
    [Theory(Timeout = 60_000)]
    [InlineData("csv", CorrectionApiTests.ComplianceKey)]
    [InlineData("ndjson", DashboardFactory.OperatorKey)]
    public async Task Export_OfASearch_StreamsAFileThatVerifies_NamesTheFilters_AndIsOnTheRecord(string format, string key)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(key);

        using var response = await client.GetAsync($"/api/events/search/export?format={format}&account={account}&order=asc", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("search_", response.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var result = ExportVerifier.Verify(new MemoryStream(bytes));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(6, result.Count);
        Assert.Contains(ExportHeader.SearchSchema, result.Header, StringComparison.Ordinal);
        Assert.Contains($"account={account}", result.DescribeExport(), StringComparison.Ordinal);

        // Every event row names its account in its data, beside the event's own data; the oldest comes first.
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains(format == "csv" ? $"{{\"\"account\"\":\"\"{account}\"\",\"\"data\"\":{{\"\"accountId\"\"" : $"\\\"account\\\":\\\"{account}\\\",\\\"data\\\":{{\\\"accountId\\\"", text, StringComparison.Ordinal);
        Assert.Contains("not json at all", text, StringComparison.Ordinal);

        var recorded = await FindRecordAsync(Guid.Parse(response.Headers.GetValues("X-Export-Id").Single()), cancellationToken);
        Assert.Equal((ExportOutcome.Completed, result.Digest, 6L), (recorded.Outcome, recorded.Digest, recorded.Count));
        Assert.Equal($"account={account}", recorded.Search);
        Assert.Equal("", recorded.AccountId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Export_OfASearch_WithOneCellChanged_NoLongerVerifies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(CorrectionApiTests.ComplianceKey);

        var text = await client.GetStringAsync($"/api/events/search/export?format=csv&account={account}", cancellationToken);
        var tampered = text.Replace("\"100.00\"", "\"1000.00\"", StringComparison.Ordinal);

        Assert.NotEqual(text, tampered);
        Assert.True(ExportVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(text))).IsValid);
        Assert.False(ExportVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(tampered))).IsValid);
    }

    [Fact(Timeout = 60_000)]
    public async Task PdfExport_OfASearch_IsAPdf()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var account = await SeedAsync(cancellationToken);
        using var client = host.CreateClient(CorrectionApiTests.ComplianceKey);

        using var response = await client.GetAsync($"/api/events/search/export?format=pdf&account={account}", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(CorrectionApiTests.SupportKey)]
    [InlineData(DashboardFactory.MonitorKey)]
    public async Task Export_OfASearch_ByARoleThatMayNotSearch_Is403_AndNothingIsRecorded(string key)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);
        using var client = host.CreateClient(key);

        using var response = await client.GetAsync($"/api/events/search/export?format=csv&account={DashboardHost.Alice}", cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await AccessLog.CountAsync(host.Store, cancellationToken));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("account=API-0001", "format")]
    [InlineData("format=xls", "format")]
    [InlineData("format=csv&limit=10", "limit")]
    [InlineData("format=csv&continuation=1-1", "continuation")]
    [InlineData("format=csv&minAmount=lots", "minAmount")]
    [InlineData("format=csv&exportId=nope", "exportId")]
    public async Task Export_OfASearch_WithABadValue_Is400NamingTheField_AndNothingIsRecorded(string query, string field)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var before = await AccessLog.CountAsync(host.Store, cancellationToken);
        using var client = host.CreateClient(CorrectionApiTests.ComplianceKey);

        using var response = await client.GetAsync($"/api/events/search/export?{query}", cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Equal(before, await AccessLog.CountAsync(host.Store, cancellationToken));
    }

    private Task<ExportRecorded> FindRecordAsync(Guid exportId, CancellationToken cancellationToken) =>
        ExportRecords.FindAsync(host.Store, exportId, cancellationToken);

    /// <summary>A new account of six events, once the event index holds all of them.</summary>
    private async Task<string> SeedAsync(CancellationToken cancellationToken)
    {
        var id = "SRX-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        await Ledger.AppendAsync(host.Store, id,
        [
            Ledger.Encode(new AccountOpened(id, "Sid Search", "EUR"), Ledger.By("olivia", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(100.00m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsWithdrawn(30.00m, "EUR", "TRX-2"), Ledger.By("sam", "Withdrawal")),
            Ledger.Raw("LegacyInterestAccrued", """{"amount":1.5}""", Ledger.By("legacy", "Batch")),
            Ledger.Raw(AccountEventTypes.FundsDeposited, "not json at all", Ledger.By("legacy", "Batch")),
            Ledger.Encode(new FundsDeposited(5.00m, "EUR", "TRX-3"), Ledger.By("olivia", "Deposit")),
        ],
        cancellationToken);
        var index = host.Factory.Services.GetRequiredService<AccountDirectory>().Store;
        await Eventually.UntilAsync(
            async ct => (await index.SearchEventsAsync(new EventQuery { AccountId = id }, ct)).Total == 6,
            $"the event index holding the six events of {id}", TimeSpan.FromSeconds(20), cancellationToken);
        return id;
    }
}
