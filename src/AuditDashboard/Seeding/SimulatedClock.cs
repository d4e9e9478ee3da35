namespace AuditDashboard.Seeding;

/// <summary>A clock the seeder sets, so demo histories are spread over past months instead of the second they were written.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
