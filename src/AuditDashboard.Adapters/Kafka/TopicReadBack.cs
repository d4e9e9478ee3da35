namespace AuditDashboard.Adapters.Kafka;

/// <summary>What the topic held after the group's checkpoint when a mirror run started: those events are not published again.</summary>
public sealed class TopicReadBack
{
    public HashSet<Guid> Ids { get; } = [];

    /// <summary>Per stream, the highest revision the topic holds.</summary>
    public Dictionary<string, long> HighestRevision { get; } = new(StringComparer.Ordinal);

    public void Add(Guid id, string stream, long revision)
    {
        Ids.Add(id);
        HighestRevision[stream] = Math.Max(HighestRevision.GetValueOrDefault(stream, -1), revision);
    }
}
