namespace AuditDashboard.Core.EventStore;

public enum Direction
{
    Forwards,
    Backwards,
}
