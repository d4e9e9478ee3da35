namespace AuditDashboard.Seeding;

/// <summary>An event the seeder will write, and when it should appear to have been recorded.</summary>
internal sealed record PlannedEvent(string AccountId, AccountEvent Event, EventMetadata Metadata, DateTimeOffset At);
