namespace AuditDashboard.Core.Mirror;

/// <summary>What a mirror knows about itself at one moment.</summary>
/// <param name="LastMirroredPosition">Every mirrored event at or before this commit position is in the broker or parked.</param>
/// <param name="Mirrored">Events confirmed by the broker since the application started.</param>
/// <param name="DuplicatesSkipped">Events delivered again that the broker already held, acknowledged without publishing them again.</param>
/// <param name="InFlight">Events taken from the subscription and not yet confirmed, skipped or parked.</param>
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
