using AuditDashboard.Core.Mirror;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>One account read back from the mirror's topic and compared with the store.</summary>
public static class Reconciliation
{
    /// <summary>
    /// Reads the stream and every message under its key (the whole topic is scanned) and compares them. Throws
    /// <see cref="MirrorUnavailableException"/> with Kafka's reason when the topic cannot be read.
    /// </summary>
    public static async Task<ReconciliationReport> CheckAsync(
        IEventStore store, MirrorSettings settings, string streamId, long? lastMirroredPosition, IReadOnlySet<long> parkedPositions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parkedPositions);
        var events = await store.ReadStreamAsync(streamId, Direction.Forwards, 0, long.MaxValue, cancellationToken).ToListAsync(cancellationToken);
        var messages = await Task.Run(() => ReadKey(settings, streamId, cancellationToken), cancellationToken);

        var revisionOf = events.ToDictionary(e => e.EventId, e => e.Revision);
        var counts = messages.Where(id => id is not null).GroupBy(id => id!.Value).ToDictionary(g => g.Key, g => g.Count());
        var outOfOrder = new List<long>();
        var highest = -1L;
        foreach (var id in messages)
        {
            if (id is not { } known || !revisionOf.TryGetValue(known, out var revision))
                continue;
            if (revision < highest)
                outOfOrder.Add(revision);
            highest = Math.Max(highest, revision);
        }

        var missing = new List<long>();
        var notYet = new List<long>();
        var parked = new List<long>();
        foreach (var e in events)
        {
            if (counts.ContainsKey(e.EventId))
                continue;
            if (parkedPositions.Contains(e.Position))
                parked.Add(e.Revision);
            else if (lastMirroredPosition is { } mirrored && e.Position <= mirrored)
                missing.Add(e.Revision);
            else
                notYet.Add(e.Revision);
        }

        var duplicated = counts.Where(p => p.Value > 1 && revisionOf.ContainsKey(p.Key)).Select(p => revisionOf[p.Key]).Order().ToList();
        var unknown = messages.Count(id => id is not { } known || !revisionOf.ContainsKey(known));
        return new ReconciliationReport(streamId, events.Count, messages.Count, missing, duplicated, outOfOrder, notYet, parked, unknown);
    }

    /// <summary>The event ids of the messages under <paramref name="key"/>, partition by partition in offset order.</summary>
    private static List<Guid?> ReadKey(MirrorSettings settings, string key, CancellationToken cancellationToken)
    {
        try
        {
            var partitions = TopicReader.Partitions(settings.BootstrapServers, settings.Topic);
            return TopicReader.Read(settings.BootstrapServers, settings.Topic, partitions, (_, low, _) => low, cancellationToken)
                .Where(m => m.Message.Key == key)
                .OrderBy(m => m.Partition.Value).ThenBy(m => m.Offset.Value)
                .Select(m => MirrorHeaders.EventId(m.Message.Headers))
                .ToList();
        }
        catch (KafkaException ex)
        {
            throw new MirrorUnavailableException(ex.Error.Reason, ex);
        }
    }
}
