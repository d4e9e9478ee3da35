namespace AuditDashboard.Core.EventStore;

/// <summary>
/// The store was opened read-only on purpose and refused a write; nothing was written. An
/// <see cref="EventStoreUnavailableException"/>, so every path that reports an unavailable store reports this too.
/// </summary>
public sealed class EventStoreReadOnlyException : EventStoreUnavailableException
{
    public EventStoreReadOnlyException(string message)
        : base(message)
    {
    }
}
