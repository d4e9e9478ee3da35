namespace AuditDashboard.EventStore;

/// <summary>The store cannot be reached, opened or read; the message says why in terms an operator can act on.</summary>
public sealed class EventStoreUnavailableException : Exception
{
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
