namespace AuditDashboard.Core.EventStore;

/// <summary>An event to append: the store treats its data and metadata as opaque bytes (JSON by convention).</summary>
public sealed record EventData(Guid EventId, string EventType, ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte> Metadata)
{
    public const string JsonContentType = "application/json";
}
