namespace AuditDashboard.Integrity;

/// <summary>When to seal (section <c>Integrity:Seal</c>) and where seals also go.</summary>
public sealed class SealOptions
{
    [Range(1, 100_000_000, ErrorMessage = "Integrity:Seal:EveryEvents must be between 1 and 100000000.")]
    public int EveryEvents { get; set; } = 10_000;

    [Range(0.01, 1440, ErrorMessage = "Integrity:Seal:EveryMinutes must be between 0.01 and 1440.")]
    public double EveryMinutes { get; set; } = 1;

    /// <summary><c>Integrity:Seal:Sinks:File:Path</c>: a file that gets one JSON line per seal, appended and synced.</summary>
    public SealSinkOptions Sinks { get; set; } = new();
}
