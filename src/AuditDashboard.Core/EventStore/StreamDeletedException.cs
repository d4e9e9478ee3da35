namespace AuditDashboard.Core.EventStore;

/// <summary>
/// The stream was deleted for good (EventStoreDB's tombstone): it can be neither read nor written again. Soft-deleted
/// streams read as empty instead, as streams that never existed do.
/// </summary>
public sealed class StreamDeletedException(string streamId, string message, Exception? inner = null) : InvalidOperationException(message, inner)
{
    public string StreamId { get; } = streamId;
}
