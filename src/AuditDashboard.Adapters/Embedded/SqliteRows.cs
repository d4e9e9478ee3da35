using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>How a row of the <c>events</c> table is selected and read back.</summary>
internal static class SqliteRows
{
    /// <summary>The columns of an event, in the order <see cref="ReadRecord"/> reads them.</summary>
    public const string Columns = "position, stream_id, revision, event_id, event_type, data, metadata, created";

    public static Guid ReadEventId(SqliteDataReader reader, int ordinal) => new(reader.GetFieldValue<byte[]>(ordinal));

    /// <summary>The event of a row selected with <see cref="Columns"/> first; <paramref name="streamId"/>, when known, saves reading it.</summary>
    public static RecordedEvent ReadRecord(SqliteDataReader reader, string? streamId) => new(
        StreamId: streamId ?? reader.GetString(1),
        Revision: reader.GetInt64(2),
        Position: reader.GetInt64(0),
        EventId: ReadEventId(reader, 3),
        EventType: reader.GetString(4),
        Data: reader.GetFieldValue<byte[]>(5),
        Metadata: reader.GetFieldValue<byte[]>(6),
        Created: new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero));
}
