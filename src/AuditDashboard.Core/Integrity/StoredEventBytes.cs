namespace AuditDashboard.Core.Integrity;

/// <summary>
/// One event of <c>$all</c> as a store holds it, its text fields still in UTF-8: what a store hands the ledger check without
/// building a <see cref="RecordedEvent"/>. The spans are valid only during the call they are passed to.
/// </summary>
public readonly ref struct StoredEventBytes(
    long position,
    ReadOnlySpan<byte> streamId,
    long revision,
    Guid eventId,
    ReadOnlySpan<byte> eventType,
    ReadOnlySpan<byte> data,
    ReadOnlySpan<byte> metadata,
    long createdUtcTicks)
{
    public long Position { get; } = position;

    public ReadOnlySpan<byte> StreamId { get; } = streamId;

    public long Revision { get; } = revision;

    public Guid EventId { get; } = eventId;

    public ReadOnlySpan<byte> EventType { get; } = eventType;

    public ReadOnlySpan<byte> Data { get; } = data;

    public ReadOnlySpan<byte> Metadata { get; } = metadata;

    /// <summary>The recorded time as <see cref="DateTimeOffset.UtcTicks"/>.</summary>
    public long CreatedUtcTicks { get; } = createdUtcTicks;
}
