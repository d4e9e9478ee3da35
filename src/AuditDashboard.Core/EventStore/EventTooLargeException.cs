namespace AuditDashboard.Core.EventStore;

/// <summary>An append larger than the store accepts: it was refused whole, and nothing of it was written.</summary>
public sealed class EventTooLargeException(string message, long? maximumBytes, Exception? inner = null) : ArgumentException(message, inner)
{
    /// <summary>The largest append the store accepts, in bytes, when it said.</summary>
    public long? MaximumBytes { get; } = maximumBytes;
}
