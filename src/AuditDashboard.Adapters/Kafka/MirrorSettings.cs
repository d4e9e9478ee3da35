namespace AuditDashboard.Kafka;

/// <summary>Where and how the mirror writes.</summary>
/// <param name="BootstrapServers">The Kafka brokers.</param>
/// <param name="Topic">The topic every account event goes to.</param>
/// <param name="Producer">Further librdkafka properties (e.g. <c>compression.type</c>); idempotence and <c>acks=all</c> are always on.</param>
public sealed record MirrorSettings(string BootstrapServers, string Topic, IReadOnlyDictionary<string, string> Producer)
{
    public const string DefaultTopic = "account-events";

    /// <summary>The persistent subscription group the mirror consumes.</summary>
    public string GroupName { get; init; } = "kafka-mirror";

    /// <summary>Only streams whose id starts with this are mirrored.</summary>
    public string StreamPrefix { get; init; } = "account-";

    /// <summary>How many events may be on their way to Kafka, not yet confirmed.</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Partitions of the topic when the mirror has to create it.</summary>
    public int Partitions { get; init; } = 3;
}
