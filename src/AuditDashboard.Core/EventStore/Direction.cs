namespace AuditDashboard.EventStore;

public enum Direction
{
    Forwards,
    Backwards,
}
