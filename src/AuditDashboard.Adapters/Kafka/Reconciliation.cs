using AuditDashboard.EventStore;

namespace AuditDashboard.Kafka;

/// <summary>One account's events in the store against its messages in Kafka.</summary>
/// <param name="Missing">Revisions the mirror passed that Kafka does not hold (and that are not parked).</param>
/// <param name="Duplicated">Revisions Kafka holds more than once.</param>
/// <param name="OutOfOrder">Revisions Kafka holds after a later revision of the same account.</param>
/// <param name="NotYetMirrored">Revisions the mirror has not reached yet.</param>
/// <param name="Parked">Revisions the mirror set aside.</param>
/// <param name="Unknown">Messages under this account's key whose event the store does not hold.</param>
public sealed record ReconciliationReport(
    string StreamId,
    int StoreEvents,
    int Messages,
    IReadOnlyList<long> Missing,
    IReadOnlyList<long> Duplicated,
    IReadOnlyList<long> OutOfOrder,
    IReadOnlyList<long> NotYetMirrored,
    IReadOnlyList<long> Parked,
    int Unknown)
{
    public bool InSync => Missing.Count == 0 && Duplicated.Count == 0 && OutOfOrder.Count == 0 && Unknown == 0;
}

public static class Reconciliation
{
    /// <summary>Reads the stream and every message under its key (the whole topic is scanned) and compares them.</summary>
    public static async Task<ReconciliationReport> CheckAsync(
        IEventStore store, MirrorSettings settings, string streamId, long? lastMirroredPosition, IReadOnlySet<long> parkedPositions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parkedPositions);
        var events = await store.ReadStreamAsync(streamId, Direction.Forwards, 0, long.MaxValue, cancellationToken).ToListAsync(cancellationToken);
        var messages = await Task.Run(() =>
        {
            var partitions = TopicReader.Partitions(settings.BootstrapServers, settings.Topic);
            return TopicReader.Read(settings.BootstrapServers, settings.Topic, partitions, (_, low, _) => low, cancellationToken)
                .Where(m => m.Message.Key == streamId)
                .OrderBy(m => m.Partition.Value).ThenBy(m => m.Offset.Value)
                .Select(m => MirrorHeaders.EventId(m.Message.Headers))
                .ToList();
        }, cancellationToken);

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
}
