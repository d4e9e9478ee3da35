using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Adapters.Tests.EventStoreDb;
using AuditDashboard.Core.Mirror;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>
/// The mirror on the EventStoreDb provider: <see cref="KafkaMirror"/> over <see cref="EventStoreDbEventStore"/>'s persistent
/// subscriptions, through real gRPC to the in-process <see cref="EventStoreDbTestServer"/>, into librdkafka's mock cluster.
/// </summary>
public sealed class EventStoreDbMirrorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 90_000)]
    public async Task EveryEvent_ArrivesOnce_InRevisionOrderPerAccount()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mirror = await GrpcMirror.StartAsync(ct);
        var written = await mirror.AppendAsync(accounts: 5, count: 40, ct);
        await mirror.Store.AppendAsync("audit-access", ExpectedRevision.Any, [MirrorFixture.Event(1)], ct);

        await mirror.UntilMirroredAsync(written[^1].Position, ct);
        var messages = mirror.ReadTopic(ct);

        Assert.Equal(written.Count, messages.Count);
        Assert.Equal(written.Select(e => e.EventId).Order(), messages.Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).Order());
        foreach (var stream in messages.GroupBy(m => m.Message.Key))
        {
            var revisions = stream.OrderBy(m => m.Offset.Value).Select(m => MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision)!.Value).ToList();
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), revisions);
            Assert.Single(stream.Select(m => m.Partition.Value).Distinct());
        }

        var status = mirror.Mirror.Status();
        Assert.Equal(MirrorState.Running, status.State);
        Assert.Equal(written.Count, status.Mirrored);
        Assert.Equal(0, status.InFlight);
    }

    [Fact(Timeout = 120_000)]
    public async Task AClientRestart_PublishesNothingTwice_AndEverythingItHadNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mirror = await GrpcMirror.StartAsync(ct);
        var before = await mirror.AppendAsync(accounts: 3, count: 20, ct);
        await mirror.UntilMirroredAsync(before[^1].Position, ct);

        await mirror.RestartAsync(ct);
        var after = await mirror.AppendAsync(accounts: 3, count: 10, ct, prefix: "account-U");
        await mirror.UntilMirroredAsync(after[^1].Position, ct);

        var ids = mirror.ReadTopic(ct).Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).ToList();
        Assert.Equal(before.Count + after.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact(Timeout = 120_000)]
    public async Task APoisonEvent_IsParkedWithTheReason_ReadBackFromTheParkedStream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mirror = await GrpcMirror.StartAsync(ct);
        var notJson = new EventData(Guid.NewGuid(), "FundsDeposited", "<xml/>"u8.ToArray(), "{}"u8.ToArray());
        await mirror.Store.AppendAsync("account-P001", ExpectedRevision.Any, [MirrorFixture.Event(1), notJson, MirrorFixture.Event(2)], ct);
        var last = await mirror.Store.AppendAsync("account-P002", ExpectedRevision.Any, [MirrorFixture.Event(3)], ct);

        await mirror.UntilMirroredAsync(last.Position, ct);

        var parked = Assert.Single(await mirror.Store.ReadParkedAsync(mirror.Settings.GroupName, 10, ct).ToListAsync(ct));
        Assert.Equal(notJson.EventId, parked.Event.EventId);
        Assert.Contains("not JSON", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(3, mirror.ReadTopic(ct).Count);
    }

    /// <summary>The test server, a client adapter connected to it, a mock Kafka cluster and the mirror between them.</summary>
    private sealed class GrpcMirror : IAsyncDisposable
    {
        private readonly EventStoreDbTestServer _server;
        private readonly KafkaTestCluster _cluster;
        private CancellationTokenSource _stop = new();
        private Task? _running;

        private GrpcMirror(EventStoreDbTestServer server, EventStoreDbEventStore store, KafkaTestCluster cluster)
        {
            _server = server;
            _cluster = cluster;
            Store = store;
            Settings = new MirrorSettings(cluster.BootstrapServers, "account-events", new Dictionary<string, string>()) { Partitions = 3, BufferSize = 1_000 };
            Mirror = new KafkaMirror(store, Settings);
        }

        public EventStoreDbEventStore Store { get; private set; }

        public MirrorSettings Settings { get; }

        public KafkaMirror Mirror { get; private set; }

        public static async Task<GrpcMirror> StartAsync(CancellationToken cancellationToken)
        {
            var server = new EventStoreDbTestServer();
            await server.InitializeAsync();
            var store = new EventStoreDbEventStore(server.ConnectionString);
            await store.InitializeAsync(cancellationToken);
            var mirror = new GrpcMirror(server, store, new KafkaTestCluster());
            mirror.Start();
            return mirror;
        }

        /// <summary>A new adapter and a new mirror against the same server, as after a restart of the application.</summary>
        public async Task RestartAsync(CancellationToken cancellationToken)
        {
            await StopAsync();
            await Store.DisposeAsync();
            Store = new EventStoreDbEventStore(_server.ConnectionString);
            await Store.InitializeAsync(cancellationToken);
            Mirror = new KafkaMirror(Store, Settings);
            Start();
        }

        public async Task<List<RecordedEvent>> AppendAsync(int accounts, int count, CancellationToken cancellationToken, string prefix = "account-T")
        {
            for (var i = 0; i < count; i += 10)
            {
                for (var a = 0; a < accounts; a++)
                    await Store.AppendAsync($"{prefix}{a:D3}", ExpectedRevision.Any, [.. Enumerable.Range(i, Math.Min(10, count - i)).Select(v => MirrorFixture.Event(v))], cancellationToken);
            }

            return await Store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, prefix, cancellationToken).ToListAsync(cancellationToken);
        }

        public List<Confluent.Kafka.ConsumeResult<string, byte[]>> ReadTopic(CancellationToken cancellationToken)
        {
            var partitions = TopicReader.Partitions(Settings.BootstrapServers, Settings.Topic);
            return [.. TopicReader.Read(Settings.BootstrapServers, Settings.Topic, partitions, (_, low, _) => low, cancellationToken)];
        }

        public Task UntilMirroredAsync(long position, CancellationToken cancellationToken) =>
            Eventually.UntilAsync(
                () => Mirror.Status().LastMirroredPosition >= position,
                $"the mirror to reach position {position}",
                Patience,
                cancellationToken,
                () => $"{Mirror.Status()}");

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            await Store.DisposeAsync();
            _cluster.Dispose();
            _stop.Dispose();
            await _server.DisposeAsync();
        }

        private void Start() => _running = Mirror.RunAsync(_stop.Token);

        private async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_running is not null)
                await _running;
            _running = null;
            _stop.Dispose();
            _stop = new CancellationTokenSource();
        }
    }
}
