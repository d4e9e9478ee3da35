namespace AuditDashboard.Core.EventStore;

/// <summary>What every store refuses in a batch to append, before it touches anything, with the same words.</summary>
public static class EventBatch
{
    /// <summary>Throws <see cref="ArgumentException"/> for a null event, an event without a type, or an event id given twice.</summary>
    public static void Validate(IReadOnlyList<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        HashSet<Guid>? ids = events.Count > 1 ? new(events.Count) : null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            if (string.IsNullOrEmpty(e.EventType))
                throw new ArgumentException($"Event {i} ({e.EventId}) has no event type.", nameof(events));

            // Idempotency is judged by event id: one id twice in a batch could never be re-appended idempotently.
            if (ids is not null && !ids.Add(e.EventId))
                throw new ArgumentException($"Event id {e.EventId} appears more than once in the batch.", nameof(events));
        }
    }
}
