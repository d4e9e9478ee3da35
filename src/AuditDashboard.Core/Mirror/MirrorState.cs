namespace AuditDashboard.Core.Mirror;

public enum MirrorState
{
    /// <summary>Not started yet, or connecting.</summary>
    Starting,

    /// <summary>Events flow to the broker.</summary>
    Running,

    /// <summary>The broker or the store fails; the mirror keeps trying (see the last error).</summary>
    Retrying,

    /// <summary>Stopped with the application, or turned off (<c>Kafka:Enabled=false</c>).</summary>
    Stopped,
}
