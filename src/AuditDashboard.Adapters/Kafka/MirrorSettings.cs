using AuditDashboard.Core.Accounts;


namespace AuditDashboard.Adapters.Kafka;

/// <summary>Where and how the mirror writes.</summary>
/// <param name="BootstrapServers">The Kafka brokers.</param>
/// <param name="Topic">The topic every account event (and every ledger seal, see <see cref="ForSeals"/>) goes to.</param>
/// <param name="Producer">Further librdkafka properties (e.g. <c>compression.type</c>); idempotence and <c>acks=all</c> are always on.</param>
public sealed record MirrorSettings(string BootstrapServers, string Topic, IReadOnlyDictionary<string, string> Producer)
{
    public const string DefaultTopic = "account-events";

    /// <summary>The persistent subscription group the mirror consumes.</summary>
    public string GroupName { get; init; } = "kafka-mirror";

    /// <summary>Only streams whose id starts with this are mirrored.</summary>
    public string StreamPrefix { get; init; } = AccountIds.StreamPrefix;

    /// <summary>How many events may be on their way to Kafka, not yet confirmed.</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Partitions of the topic when the mirror has to create it.</summary>
    public int Partitions { get; init; } = 3;

    /// <summary>
    /// The same topic and brokers for the ledger's seals (<see cref="LedgerSeals.StreamId"/>), through a subscription group of
    /// their own: a group's stream filter cannot change once created (EventStoreDB keeps it), so the account group of an
    /// existing installation could never take the seals in; a group of their own starts at the first seal.
    /// </summary>
    public MirrorSettings ForSeals() => this with { GroupName = GroupName + "-seals", StreamPrefix = LedgerSeals.StreamId };
}
