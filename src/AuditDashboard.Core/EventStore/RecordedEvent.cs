namespace AuditDashboard.Core.EventStore;

/// <summary>An event as the store holds it.</summary>
/// <param name="StreamId">The stream the event belongs to.</param>
/// <param name="Revision">Zero-based position of the event within its stream.</param>
/// <param name="Position">Global commit position in <c>$all</c>; strictly increasing in commit order.</param>
/// <param name="EventId">The writer's id for the event; re-appending the same id is idempotent.</param>
/// <param name="EventType">The event's wire name.</param>
/// <param name="Data">The event's payload.</param>
/// <param name="Metadata">The event's metadata.</param>
/// <param name="Created">The store's commit time, in UTC: the event's recorded time.</param>
public sealed record RecordedEvent(
    string StreamId,
    long Revision,
    long Position,
    Guid EventId,
    string EventType,
    ReadOnlyMemory<byte> Data,
    ReadOnlyMemory<byte> Metadata,
    DateTimeOffset Created);
