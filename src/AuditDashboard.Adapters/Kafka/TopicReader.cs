using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>Reads what a topic holds, partition by partition, up to each partition's end as it was when reading began.</summary>
public static class TopicReader
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The topic's partitions, or none when the topic does not exist.</summary>
    public static IReadOnlyList<int> Partitions(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers, SocketTimeoutMs = 10_000 })
            .SetLogHandler(static (_, _) => { }).Build();
        var metadata = admin.GetMetadata(topic, Patience);
        var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        return found is null || found.Error.Code == ErrorCode.UnknownTopicOrPart ? [] : found.Partitions.Select(p => p.PartitionId).Order().ToList();
    }

    /// <summary>
    /// The messages of each partition from <paramref name="startOffset"/>(partition, low, high) to the partition's end;
    /// <paramref name="startOffset"/> returns the first offset to read.
    /// </summary>
    public static IEnumerable<ConsumeResult<string, byte[]>> Read(
        string bootstrapServers, string topic, IReadOnlyList<int> partitions, Func<int, long, long, long> startOffset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(startOffset);
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "audit-dashboard-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler(static (_, _) => { }).Build();
        foreach (var partition in partitions)
        {
            var topicPartition = new TopicPartition(topic, partition);
            var offsets = consumer.QueryWatermarkOffsets(topicPartition, Patience);
            if (offsets.High.Value <= offsets.Low.Value)
                continue;
            var from = Math.Clamp(startOffset(partition, offsets.Low.Value, offsets.High.Value), offsets.Low.Value, offsets.High.Value);
            if (from >= offsets.High.Value)
                continue;

            consumer.Assign(new TopicPartitionOffset(topicPartition, from));
            while (true)
            {
                var result = consumer.Consume(Patience)
                    ?? throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"Reading {topic} partition {partition} timed out."));
                if (result.IsPartitionEOF)
                    break;
                yield return result;
                if (result.Offset.Value >= offsets.High.Value - 1)
                    break;
                cancellationToken.ThrowIfCancellationRequested();
            }

            consumer.Unassign();
        }

        consumer.Close();
    }
}
