namespace AuditDashboard.Kafka;

public enum MirrorState
{
    /// <summary>Not started yet, or connecting.</summary>
    Starting,

    /// <summary>Events flow to Kafka.</summary>
    Running,

    /// <summary>Kafka or the store fails; the mirror keeps trying (see the last error).</summary>
    Retrying,

    /// <summary>Stopped with the application, or turned off (<c>Kafka:Enabled=false</c>).</summary>
    Stopped,
}

/// <summary>What the mirror knows about itself at one moment.</summary>
/// <param name="LastMirroredPosition">Every account event at or before this commit position is in Kafka or parked.</param>
/// <param name="Mirrored">Events confirmed by Kafka since the application started.</param>
/// <param name="DuplicatesSkipped">Events delivered again that Kafka already held, acknowledged without producing them again.</param>
/// <param name="EventsPerSecond">Events confirmed per second over the last few seconds.</param>
public sealed record MirrorStatus(
    MirrorState State,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long? LastMirroredPosition,
    long Mirrored,
    long DuplicatesSkipped,
    long Parked,
    int InFlight,
    double EventsPerSecond,
    DateTimeOffset? LastMirroredAt);
