namespace AuditDashboard.Core.EventStore;

/// <summary>The store cannot be reached, opened or read; the message says why in terms an operator can act on.</summary>
/// <remarks>Not sealed: <see cref="EventStoreReadOnlyException"/> is the one kind a caller may want to tell apart.</remarks>
public class EventStoreUnavailableException : Exception
{
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
