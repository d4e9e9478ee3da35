using AuditDashboard.Adapters.Kafka;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>
/// The mirror's topic on a real Kafka protocol (librdkafka's mock cluster, which creates a topic on its first metadata
/// request, so creation itself is not observable here): its partitions, and what it holds after a checkpoint.
/// </summary>
public sealed class KafkaTopicTests : IDisposable
{
    private readonly KafkaTestCluster _cluster = new();

    [Fact]
    public void Ensure_OnATopicThatExists_GivesItsPartitions_ToReadBack()
    {
        var settings = Settings(partitions: 1);
        _cluster.CreateTopic(settings.Topic, partitions: 3);
        var topic = new KafkaTopic(settings);

        var partitions = topic.Ensure();

        Assert.Equal([0, 1, 2], partitions);
    }

    [Fact(Timeout = 60_000)]
    public void ReadBack_AfterACheckpoint_GivesTheMirrorsEventsAfterIt_ReachingBackBeyondTheFirstWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(partitions: 1);
        var topic = new KafkaTopic(settings);
        _cluster.CreateTopic(settings.Topic, partitions: 1);
        var partitions = topic.Ensure();
        var events = Enumerable.Range(0, 3_000).Select(p => Record(p % 2 == 0 ? "account-A" : "account-B", p / 2, p)).ToList();
        var seal = Record("audit-seals", 0, 3_000);
        Publish(settings, [.. events, seal]);
        const long checkpoint = 100;

        var readBack = topic.ReadBack(partitions, checkpoint, ct);

        Assert.Equal(events.Where(e => e.Position > checkpoint).Select(e => e.EventId).ToHashSet(), readBack.Ids);
        Assert.Equal(new Dictionary<string, long> { ["account-A"] = 1_499, ["account-B"] = 1_499 }, readBack.HighestRevision);
    }

    [Fact(Timeout = 60_000)]
    public void ReadBack_WithoutACheckpoint_GivesEverythingOfTheMirrorsStreams()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(partitions: 2);
        _cluster.CreateTopic(settings.Topic, partitions: 2);
        var topic = new KafkaTopic(settings);
        var events = Enumerable.Range(0, 10).Select(p => Record("account-C", p, p)).ToList();
        Publish(settings, events);

        var readBack = topic.ReadBack(topic.Ensure(), checkpoint: null, ct);

        Assert.Equal(events.Select(e => e.EventId).ToHashSet(), readBack.Ids);
        Assert.Equal(9, readBack.HighestRevision["account-C"]);
    }

    public void Dispose() => _cluster.Dispose();

    private MirrorSettings Settings(int partitions) =>
        new(_cluster.BootstrapServers, "account-events", new Dictionary<string, string>()) { Partitions = partitions, BufferSize = 100 };

    private static RecordedEvent Record(string stream, long revision, long position) =>
        new(stream, revision, position, Guid.NewGuid(), "FundsDeposited", Encoding.UTF8.GetBytes($$"""{"amount":{{revision}}}"""), "{}"u8.ToArray(), DateTimeOffset.UnixEpoch);

    /// <summary>Writes the events as the mirror does: keyed by stream, with the mirror's headers.</summary>
    private static void Publish(MirrorSettings settings, IEnumerable<RecordedEvent> events)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaMirror.ProducerConfig(settings)).SetLogHandler(static (_, _) => { }).Build();
        foreach (var e in events)
            producer.Produce(settings.Topic, new Message<string, byte[]> { Key = e.StreamId, Value = e.Data.ToArray(), Headers = MirrorHeaders.For(e) });
        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
