using AuditDashboard.Core.Mirror;
using AuditDashboard.Hosting;
using AuditDashboard.Mirror;
using AuditDashboard.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Configuration;

/// <summary>
/// The <c>Kafka</c> section: a bad topic or producer property stops the app at start-up with a message naming the
/// setting (read, as in <see cref="StartupValidationTests"/>, in the log); the mirror turned off, or pointed at brokers
/// nobody runs, leaves the app up and says so in <c>GET /api/mirror/status</c>.
/// </summary>
public sealed class KafkaSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string, string, string> BadSettings { get; } = new()
    {
        { "Kafka:Topic", "bad topic!", "Kafka:Topic 'bad topic!' is not a valid topic name" },
        { "Kafka:Topic", "", "Kafka:Topic '' is not a valid topic name" },
        { "Kafka:Topic", "..", "Kafka:Topic '..' is not a valid topic name" },
        { "Kafka:Topic", new string('t', 250), "is not a valid topic name" },
        { "Kafka:Producer:no.such.property", "1", "Kafka:Producer:no.such.property is not a valid librdkafka setting ('1'): " },
        { "Kafka:Producer:acks", "sometimes", "Kafka:Producer:acks cannot be 'sometimes': the mirror acknowledges an event only once every in-sync replica has it" },
        { "Kafka:Producer:acks", "1", "Kafka:Producer:acks cannot be '1'" },
        { "Kafka:Producer:enable.idempotence", "false", "Kafka:Producer:enable.idempotence cannot be 'false': the mirror needs an idempotent producer" },
        { "Kafka:Producer:batch.size", "-5", "Kafka:Producer:batch.size is not a valid librdkafka setting ('-5'): " },
        { "Kafka:Partitions", "0", "Kafka:Partitions must be between 1 and 1000." },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BadSettings))]
    public Task ABadKafkaSetting_StopsStartUp_WithAReportNamingTheSetting(string key, string value, string expectedReport) =>
        StartupChecks.AssertStartUpStopsAsync(_folder, key, value, expectedReport, TestContext.Current.CancellationToken);

    /// <summary>
    /// Properties librdkafka knows under another name: its message names the other name ("compression.codec",
    /// "queue.buffering.max.ms"), so the report must not depend on finding the configured key in it.
    /// </summary>
    public static TheoryData<string, string, string> BadAliasedProducerSettings { get; } = new()
    {
        { "Kafka:Producer:compression.type", "zip", "Kafka:Producer:compression.type is not a valid librdkafka setting ('zip'): " },
        { "Kafka:Producer:linger.ms", "soon", "Kafka:Producer:linger.ms is not a valid librdkafka setting ('soon'): " },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BadAliasedProducerSettings))]
    public Task ABadValueOfAnAliasedProducerProperty_StopsStartUp_WithAReportNamingTheConfiguredKey(string key, string value, string expectedReport) =>
        StartupChecks.AssertStartUpStopsAsync(_folder, key, value, expectedReport, TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public async Task TheMirrorTurnedOff_TheAppStarts_AndTheStatusSaysStoppedNamingTheSetting()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory(Settings(("Kafka:Enabled", "false")));
        var app = TurnedOff(factory);
        var services = await StartupChecks.StartAsync(app, cancellationToken);
        using var client = CreateClient(app, DashboardFactory.OperatorKey);

        using var response = await client.GetAsync(MirrorApiTests.StatusUrl, cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var status = json.RootElement;
        Assert.Equal("stopped", status.GetProperty("state").GetString());
        Assert.Contains("Kafka:Enabled=false", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.False(status.GetProperty("testCluster").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("topic").ValueKind);
        Assert.Equal(0, status.GetProperty("mirrored").GetInt64());

        // Turned off means not built at all: no test cluster, no mirror, no subscription group.
        Assert.Null(services.GetService<ILedgerMirror>());
        Assert.Null(services.GetService<KafkaConnection>());
    }

    [Fact(Timeout = 60_000)]
    public async Task TheMirrorTurnedOff_ReplayingParkedEvents_Answers409()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory(Settings(("Kafka:Enabled", "false")));
        var app = TurnedOff(factory);
        await StartupChecks.StartAsync(app, cancellationToken);
        using var client = CreateClient(app, CorrectionApiTests.SupportKey);

        using var response = await client.PostAsync(MirrorApiTests.ReplayUrl, content: null, cancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact(Timeout = 90_000)]
    public async Task BrokersNobodyRuns_TheAppStarts_AndTheStatusSaysRetryingWithTheError()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory(Settings(("Kafka:BootstrapServers", "127.0.0.1:1")));
        await StartupChecks.StartAsync(factory, cancellationToken);
        using var client = CreateClient(factory, DashboardFactory.OperatorKey);

        var status = await MirrorApiTests.WaitForStatusAsync(client,
            s => s.GetProperty("state").GetString() == "retrying" && s.GetProperty("lastError").ValueKind == JsonValueKind.String,
            "the mirror to report that it is retrying",
            cancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("lastError").GetString()));
        Assert.Equal(JsonValueKind.String, status.GetProperty("lastErrorAt").ValueKind);
        Assert.False(status.GetProperty("testCluster").GetBoolean());
        Assert.Equal("account-events", status.GetProperty("topic").GetString());
        Assert.Equal(0, status.GetProperty("mirrored").GetInt64());

        // The app itself is up and serving.
        using var live = await client.GetAsync("/health/live", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var accounts = await client.GetAsync("/api/accounts", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
    }

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>
    /// The app with <c>Kafka:Enabled=false</c> also where a real launch has it (command line, environment) and the test
    /// factory's settings do not reach: in the configuration the builder reads before the app is built, where the
    /// mirror's services are registered or left out. The factory disposes it.
    /// </summary>
    private static WebApplicationFactory<Program> TurnedOff(DashboardFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.UseSetting("Kafka:Enabled", "false"));

    private static HttpClient CreateClient(WebApplicationFactory<Program> factory, string apiKey)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.Timeout = TimeSpan.FromSeconds(20);
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
