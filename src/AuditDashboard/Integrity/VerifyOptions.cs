namespace AuditDashboard.Integrity;

/// <summary>How often the running dashboard reads back what was sealed since its last check (section <c>Integrity:Verify</c>).</summary>
public sealed class VerifyOptions
{
    [Range(0.01, 1440, ErrorMessage = "Integrity:Verify:EveryMinutes must be between 0.01 and 1440.")]
    public double EveryMinutes { get; set; } = 5;
}
