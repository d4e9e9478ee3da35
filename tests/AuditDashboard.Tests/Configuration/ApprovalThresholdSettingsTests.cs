using System.Text.Json.Nodes;
using AuditDashboard.Tests.Api;

namespace AuditDashboard.Tests.Configuration;

/// <summary>
/// <c>Corrections:ApprovalThreshold</c>: a bad threshold stops the app at start-up with a message naming the setting
/// (read, as in <see cref="StartupValidationTests"/>, where an operator would: in the log), and a good one decides
/// which corrections need a second Support user's approval.
/// </summary>
public sealed class ApprovalThresholdSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string, string, string> BadSettings { get; } = new()
    {
        { "Corrections:ApprovalThreshold:euro", "5000", "Corrections:ApprovalThreshold:euro is not a currency" },
        { "Corrections:ApprovalThreshold:EUR", "0", "Corrections:ApprovalThreshold:EUR must be a positive amount; it is 0." },
        { "Corrections:ApprovalThreshold:EUR", "-100", "Corrections:ApprovalThreshold:EUR must be a positive amount; it is -100." },
        { "Corrections:ApprovalThreshold:Default", "0", "Corrections:ApprovalThreshold:Default must be a positive amount; it is 0." },
    };

    /// <summary>Values that are not amounts: they must stop start-up too, not be dropped (which would turn four eyes off).</summary>
    public static TheoryData<string, string, string> UnconvertibleSettings { get; } = new()
    {
        { "Corrections:ApprovalThreshold:EUR", "lots", "Corrections:ApprovalThreshold:EUR is not an amount: 'lots'" },
        { "Corrections:ApprovalThreshold:Default", "10,000", "Corrections:ApprovalThreshold:Default is not an amount: '10,000'" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BadSettings))]
    public Task ABadThreshold_StopsStartUp_WithAReportNamingTheSetting(string key, string value, string expectedReport) =>
        StartupChecks.AssertStartUpStopsAsync(_folder, key, value, expectedReport, TestContext.Current.CancellationToken);

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(UnconvertibleSettings))]
    public Task AnUnconvertibleThreshold_StopsStartUp_WithAReportNamingTheSetting(string key, string value, string expectedReport) =>
        StartupChecks.AssertStartUpStopsAsync(_folder, key, value, expectedReport, TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public async Task ACustomThreshold_DecidesWhichCorrectionsNeedApproval()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Corrections:ApprovalThreshold:EUR"] = "50",
        });
        var services = await StartupChecks.StartAsync(factory, cancellationToken);
        const string account = "THR-0001";
        await Ledger.OpenAsync(services.GetRequiredService<IEventStore>(), account, "Theo Reed", "EUR", 100m, cancellationToken);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", CorrectionApiTests.SupportKey);

        using var atOnce = await PostAdjustmentAsync(client, account, 40m, 1, cancellationToken);
        using var proposed = await PostAdjustmentAsync(client, account, 60m, 2, cancellationToken);

        Assert.True(atOnce.StatusCode == HttpStatusCode.Created, await atOnce.Content.ReadAsStringAsync(cancellationToken));
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(cancellationToken));
        using var body = JsonDocument.Parse(await proposed.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal("pending", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("revision").GetInt64());
        Assert.Contains("threshold (50.00 EUR)", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var state = await client.GetAsync($"/api/accounts/{account}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        using var json = JsonDocument.Parse(await state.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(140m, json.RootElement.GetProperty("balance").GetDecimal());
        Assert.Equal(3, json.RootElement.GetProperty("revision").GetInt64());
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<HttpResponseMessage> PostAdjustmentAsync(HttpClient client, string account, decimal amount, long expectedRevision, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["kind"] = "adjustment",
            ["amount"] = amount,
            ["reason"] = "Fee charged twice by the gateway",
            ["expectedRevision"] = expectedRevision,
            ["commandId"] = Guid.NewGuid(),
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await client.PostAsync($"/api/accounts/{account}/corrections", content, cancellationToken);
    }
}
