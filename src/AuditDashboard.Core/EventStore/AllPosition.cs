namespace AuditDashboard.Core.EventStore;

/// <summary>Named positions in <c>$all</c>.</summary>
public static class AllPosition
{
    public const long Start = 0;

    /// <summary>Reading backwards from here starts at the last committed event.</summary>
    public const long End = long.MaxValue;
}
