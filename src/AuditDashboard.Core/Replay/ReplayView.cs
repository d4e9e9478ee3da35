namespace AuditDashboard.Core.Replay;

/// <summary>Which history a replay tells.</summary>
public enum ReplayView
{
    /// <summary>What the system knew then: events in the order and at the times they were recorded.</summary>
    Recorded,

    /// <summary>
    /// What should have been: each event at its effective time, so a correction applies when what it corrects happened.
    /// Agrees with <see cref="Recorded"/> while no event carries an effective time of its own.
    /// </summary>
    Corrected,
}
