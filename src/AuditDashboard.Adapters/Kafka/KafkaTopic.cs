using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>The mirror's topic: created when it is missing, and read back to learn what an earlier run already published.</summary>
public sealed class KafkaTopic(MirrorSettings settings)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Creates the topic if it is missing; returns its partitions (none to read back when it was just created).</summary>
    public IReadOnlyList<int> Ensure()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = settings.BootstrapServers, SocketTimeoutMs = 10_000 })
            .SetLogHandler(static (_, _) => { }).Build();
        var metadata = admin.GetMetadata(settings.Topic, Patience);
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == settings.Topic);
        if (topic is { Error.Code: ErrorCode.NoError } && topic.Partitions.Count > 0)
            return topic.Partitions.Select(p => p.PartitionId).Order().ToList();
        try
        {
            var replication = (short)Math.Min(3, Math.Max(1, metadata.Brokers.Count));
            admin.CreateTopicsAsync([new TopicSpecification { Name = settings.Topic, NumPartitions = settings.Partitions, ReplicationFactor = replication }])
                .GetAwaiter().GetResult();
            return [];
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            // Created meanwhile (perhaps by another instance, which may already have written to it), or auto-created.
            return TopicReader.Partitions(settings.BootstrapServers, settings.Topic);
        }
    }

    /// <summary>
    /// What the topic holds of the mirror's streams after <paramref name="checkpoint"/>: the ids of those events and, per
    /// stream, the highest revision. Reads each partition backwards in growing windows until it reaches a message at or
    /// before the checkpoint (or the partition's start).
    /// </summary>
    public TopicReadBack ReadBack(IReadOnlyList<int> partitions, long? checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var result = new TopicReadBack();
        foreach (var partition in partitions)
        {
            // Without a checkpoint everything in the topic counts; otherwise a window wide enough to reach back to it.
            var window = checkpoint is null ? long.MaxValue : Math.Max(1_000L, settings.BufferSize * 2L);
            while (true)
            {
                var startsAtBeginning = true;
                var reachesCheckpoint = false;
                var batch = new List<(Guid Id, string Stream, long Revision)>();
                var messages = TopicReader.Read(settings.BootstrapServers, settings.Topic, [partition], (_, low, high) =>
                {
                    var from = high - window < low ? low : high - window;
                    startsAtBeginning = from == low;
                    return from;
                }, cancellationToken);
                foreach (var message in messages)
                {
                    var headers = message.Message.Headers;
                    if (MirrorHeaders.Number(headers, MirrorHeaders.Position) is { } position && position <= checkpoint)
                    {
                        reachesCheckpoint = true;
                        continue;
                    }

                    // The topic is shared (account events, seals): only this group's streams matter to it.
                    if (MirrorHeaders.EventId(headers) is { } id && MirrorHeaders.Number(headers, MirrorHeaders.Revision) is { } revision
                        && message.Message.Key?.StartsWith(settings.StreamPrefix, StringComparison.Ordinal) == true)
                        batch.Add((id, message.Message.Key, revision));
                }

                if (startsAtBeginning || reachesCheckpoint)
                {
                    foreach (var (id, stream, revision) in batch)
                        result.Add(id, stream, revision);
                    break;
                }

                window *= 4;
            }
        }

        return result;
    }
}
