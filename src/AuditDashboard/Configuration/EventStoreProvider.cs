namespace AuditDashboard.Configuration;

public enum EventStoreProvider
{
    /// <summary>A SQLite file: the zero-set-up default.</summary>
    Embedded,

    /// <summary>EventStoreDB / KurrentDB over gRPC.</summary>
    EventStoreDb,
}
