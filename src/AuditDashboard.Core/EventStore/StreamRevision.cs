namespace AuditDashboard.Core.EventStore;

/// <summary>Named revisions to read a stream from.</summary>
public static class StreamRevision
{
    public const long Start = 0;

    /// <summary>Reading backwards from here starts at the stream's last event.</summary>
    public const long End = long.MaxValue;
}
