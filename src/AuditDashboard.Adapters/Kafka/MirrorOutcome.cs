namespace AuditDashboard.Adapters.Kafka;

/// <summary>An event done with: confirmed by Kafka, already there (a duplicate), or to be parked with the reason.</summary>
internal sealed record MirrorOutcome(RecordedEvent Event, bool Duplicate = false, string? ParkReason = null);
