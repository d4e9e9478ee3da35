namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// Restores each stream's revision order, which a persistent subscription does not keep across retries and redeliveries:
/// an event that arrives before an earlier revision of its stream is held until that revision has been released. An event
/// held longer than the hold timeout (on the given clock) is released anyway, with whatever follows it: the revision it
/// waits for will not come (it was parked, or the stream does not start at 0).
/// </summary>
public sealed class StreamOrderBuffer
{
    private readonly TimeSpan _holdTimeout;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, long> _next;
    private readonly Dictionary<string, SortedList<long, (RecordedEvent Event, long HeldAt)>> _held = new(StringComparer.Ordinal);

    /// <param name="highestPublished">Per stream, the highest revision the broker already holds: the next one is expected first.</param>
    public StreamOrderBuffer(IReadOnlyDictionary<string, long> highestPublished, TimeSpan holdTimeout, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(highestPublished);
        ArgumentNullException.ThrowIfNull(clock);
        _next = highestPublished.ToDictionary(p => p.Key, p => p.Value + 1, StringComparer.Ordinal);
        _holdTimeout = holdTimeout;
        _clock = clock;
    }

    /// <summary>How many events wait for an earlier revision.</summary>
    public int HeldCount => _held.Values.Sum(h => h.Count);

    /// <summary>
    /// Takes one event; returns what may be published now, in order: nothing while an earlier revision of its stream is
    /// awaited, else the event and every held one it unblocked.
    /// </summary>
    public IReadOnlyList<RecordedEvent> Add(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_next.TryGetValue(record.StreamId, out var next) && record.Revision > next)
        {
            if (!_held.TryGetValue(record.StreamId, out var held))
                _held[record.StreamId] = held = [];
            held[record.Revision] = (record, _clock.GetTimestamp());
            return [];
        }

        var due = new List<RecordedEvent>();
        Release(record, due);
        ReleaseHeld(record.StreamId, due);
        return due;
    }

    /// <summary>Releases every stream whose first held event has waited longer than the hold timeout.</summary>
    public IReadOnlyList<RecordedEvent> ReleaseOverdue()
    {
        var due = new List<RecordedEvent>();
        foreach (var stream in _held.Where(p => p.Value.Count > 0 && _clock.GetElapsedTime(p.Value.Values[0].HeldAt) > _holdTimeout).Select(p => p.Key).ToList())
        {
            _next[stream] = _held[stream].Keys[0];
            ReleaseHeld(stream, due);
        }

        return due;
    }

    private void Release(RecordedEvent record, List<RecordedEvent> due)
    {
        _next[record.StreamId] = Math.Max(_next.GetValueOrDefault(record.StreamId, 0), record.Revision + 1);
        due.Add(record);
    }

    private void ReleaseHeld(string stream, List<RecordedEvent> due)
    {
        while (_held.TryGetValue(stream, out var held) && held.Count > 0 && held.Keys[0] <= _next[stream])
        {
            var (record, _) = held.Values[0];
            held.RemoveAt(0);
            Release(record, due);
        }

        if (_held.TryGetValue(stream, out var empty) && empty.Count == 0)
            _held.Remove(stream);
    }
}
