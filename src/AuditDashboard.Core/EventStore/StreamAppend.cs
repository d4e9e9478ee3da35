namespace AuditDashboard.Core.EventStore;

/// <summary>One stream's part of <see cref="IEventStore.AppendManyAsync"/>: what <see cref="IEventStore.AppendAsync"/> takes.</summary>
public sealed record StreamAppend(string StreamId, ExpectedRevision Expected, IReadOnlyList<EventData> Events);
