using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Hosting;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/mirror/status</c> and <c>POST /api/mirror/parked/replay</c> on the shared host, whose mirror writes to
/// its own in-process test cluster. Every test that writes seeds an account of its own and waits (at most
/// <see cref="MirrorPatience"/>) for the mirror to pass it.
/// </summary>
[Collection(SharedDashboardHost.Name)]
public sealed class MirrorApiTests(DashboardHost host)
{
    public const string StatusUrl = "/api/mirror/status";
    public const string ReplayUrl = "/api/mirror/parked/replay";
    public const string GroupName = "kafka-mirror";

    /// <summary>How long the mirror may take to pass an event appended now.</summary>
    public static readonly TimeSpan MirrorPatience = TimeSpan.FromSeconds(20);

    private static readonly string[] StatusFields =
    [
        "state", "lastMirroredPosition", "lagEvents", "lagAtLeast", "lagSeconds", "parkedCount", "lastError", "lastErrorAt",
        "eventsPerSecond", "mirrored", "duplicatesSkipped", "topic", "testCluster",
    ];

    private static readonly string[] States = ["running", "retrying", "stopped", "starting"];

    public static TheoryData<string> DashboardKeys { get; } = [DashboardFactory.OperatorKey, CorrectionApiTests.SupportKey, CorrectionApiTests.ComplianceKey];

    public static TheoryData<string> KeysWithoutSupport { get; } = [DashboardFactory.OperatorKey, CorrectionApiTests.ComplianceKey];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(DashboardKeys))]
    public async Task Status_ForAnyDashboardRole_Answers200WithEveryField(string apiKey)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(apiKey);

        using var response = await client.GetAsync(StatusUrl, cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var status = json.RootElement;
        foreach (var field in StatusFields)
            Assert.True(status.TryGetProperty(field, out _), $"The status has no '{field}': {body}");
        Assert.Contains(status.GetProperty("state").GetString(), States);
        Assert.Equal("account-events", status.GetProperty("topic").GetString());
        Assert.True(status.GetProperty("testCluster").GetBoolean());
        Assert.True(status.GetProperty("lagEvents").GetInt64() >= 0, body);
        Assert.True(status.GetProperty("parkedCount").GetInt64() >= 0, body);
    }

    [Fact(Timeout = 60_000)]
    public async Task Status_AfterAnAccountIsWritten_ShowsTheMirrorPastItsLastEvent_WithNoLag_AndKafkaHoldsItsEventsInOrder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var before = await WaitForStatusAsync(client, _ => true, "any status", cancellationToken);
        var id = NewAccountId();
        EventData[] events =
        [
            Ledger.Encode(new AccountOpened(id, "Mira Kafka", "EUR"), Ledger.By("olivia", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(120m, "EUR", "MIR-1"), Ledger.By("olivia", "Deposit")),
            Ledger.Encode(new FundsWithdrawn(20m, "EUR", "MIR-2"), Ledger.By("olivia", "Withdrawal")),
            Ledger.Encode(new FundsDeposited(5m, "EUR", "MIR-3"), Ledger.By("olivia", "Deposit")),
        ];
        var first = await Ledger.AppendAsync(host.Store, id, events[..3], cancellationToken);
        var last = (await Ledger.AppendAsync(host.Store, id, events[3..], cancellationToken)).Position;
        Assert.True(last > first.Position);

        var status = await WaitForStatusAsync(client,
            s => s.GetProperty("lastMirroredPosition").ValueKind == JsonValueKind.Number
                && s.GetProperty("lastMirroredPosition").GetInt64() >= last
                && s.GetProperty("lagEvents").GetInt64() == 0,
            $"the mirror to pass position {last} with no lag",
            cancellationToken);

        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("testCluster").GetBoolean());
        Assert.Equal("account-events", status.GetProperty("topic").GetString());
        Assert.False(status.GetProperty("lagAtLeast").GetBoolean());
        Assert.Equal(0d, status.GetProperty("lagSeconds").GetDouble());
        Assert.True(status.GetProperty("mirrored").GetInt64() >= before.GetProperty("mirrored").GetInt64() + events.Length,
            $"Before: {before.GetRawText()}; after: {status.GetRawText()}");

        // What the status claims, Kafka holds: this account's four events, once each, in revision order.
        var inKafka = await ReadTopicAsync(AccountIds.StreamOf(id), cancellationToken);
        Assert.Equal(events.Select(e => (Guid?)e.EventId), inKafka);
    }

    [Fact(Timeout = 60_000)]
    public async Task AnEventWhoseDataIsNotJson_IsParked_AndTheEventsAfterItAreStillMirrored()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var id = NewAccountId();
        var opened = Ledger.Encode(new AccountOpened(id, "Nora Json", "EUR"), Ledger.By("olivia", "Customer onboarding"));
        await Ledger.AppendAsync(host.Store, id, [opened], cancellationToken);
        var broken = new EventData(Guid.NewGuid(), AccountEventTypes.FundsDeposited, Encoding.UTF8.GetBytes("{ this is not JSON"),
            JsonSerializer.SerializeToUtf8Bytes(Ledger.By("legacy", "Imported"), AccountEventCodec.JsonOptions));
        var parkedAt = (await host.Store.AppendAsync(AccountIds.StreamOf(id), ExpectedRevision.Any, [broken], cancellationToken)).Position;
        var deposit = Ledger.Encode(new FundsDeposited(10m, "EUR", "AFTER-1"), Ledger.By("olivia", "Deposit"));
        var after = (await Ledger.AppendAsync(host.Store, id, [deposit], cancellationToken)).Position;
        using var client = host.CreateClient(CorrectionApiTests.ComplianceKey);

        var status = await WaitForStatusAsync(client,
            s => s.GetProperty("parkedCount").GetInt64() >= 1
                && s.GetProperty("lastMirroredPosition").ValueKind == JsonValueKind.Number
                && s.GetProperty("lastMirroredPosition").GetInt64() >= after,
            $"the event at position {parkedAt} to be parked and the mirror to pass position {after}",
            cancellationToken);

        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(0, status.GetProperty("lagEvents").GetInt64());
        var parked = await ((IPersistentSubscriptions)host.Store).ReadParkedAsync(GroupName, 500, cancellationToken).ToListAsync(cancellationToken);
        var mine = Assert.Single(parked, p => p.Event.EventId == broken.EventId);
        Assert.Equal(parkedAt, mine.Event.Position);
        Assert.Contains("not JSON", mine.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(parked, p => p.Event.StreamId == AccountIds.StreamOf(id) && p.Event.EventId != broken.EventId);

        // Kafka holds the events around it, in order, and not the parked one.
        Assert.Equal(new Guid?[] { opened.EventId, deposit.EventId }, await ReadTopicAsync(AccountIds.StreamOf(id), cancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task Status_ForAKeyWithoutADashboardRole_Answers403()
    {
        using var client = host.CreateClient(DashboardFactory.MonitorKey);

        using var response = await client.GetAsync(StatusUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Status_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(StatusUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(KeysWithoutSupport))]
    public async Task Replay_ForAKeyWithoutSupport_Answers403(string apiKey)
    {
        using var client = host.CreateClient(apiKey);

        using var response = await client.PostAsync(ReplayUrl, content: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Replay_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.PostAsync(ReplayUrl, content: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Replay_ForSupport_Answers202WithHowManyAreReplayed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = host.CreateClient(CorrectionApiTests.SupportKey);

        using var response = await client.PostAsync(ReplayUrl, content: null, cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(StatusUrl, response.Headers.Location?.OriginalString);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("replaying").GetInt64() >= 0, body);
    }

    /// <summary>The event ids of the messages under <paramref name="streamId"/>'s key in the host's topic, in offset order.</summary>
    private async Task<List<Guid?>> ReadTopicAsync(string streamId, CancellationToken cancellationToken)
    {
        var connection = host.Factory.Services.GetRequiredService<KafkaConnection>();
        return await Task.Run(() =>
        {
            var topic = connection.Settings.Topic;
            var partitions = TopicReader.Partitions(connection.BootstrapServers, topic);
            return TopicReader.Read(connection.BootstrapServers, topic, partitions, (_, low, _) => low, cancellationToken)
                .Where(m => m.Message.Key == streamId)
                .OrderBy(m => m.Partition.Value).ThenBy(m => m.Offset.Value)
                .Select(m => MirrorHeaders.EventId(m.Message.Headers))
                .ToList();
        }, cancellationToken);
    }

    public static string NewAccountId() => "MIR-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    /// <summary>Asks for the status until <paramref name="done"/> holds; fails with the last answer after <see cref="MirrorPatience"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Func<JsonElement, bool> done, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(done);
        var last = "(no answer)";
        JsonElement status = default;
        await Eventually.UntilAsync(
            async ct =>
            {
                using var response = await client.GetAsync(StatusUrl, ct);
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
                if (response.StatusCode != HttpStatusCode.OK)
                    return false;
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                status = json.RootElement.Clone();
                return done(status);
            },
            what,
            MirrorPatience,
            cancellationToken,
            () => $"the last status was {last}");
        return status;
    }
}
