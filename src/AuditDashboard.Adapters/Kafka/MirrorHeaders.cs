using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// The headers of a mirrored event: the CloudEvents Kafka protocol binding in binary mode (the value is the event's data,
/// the attributes are <c>ce_</c> headers) plus where the event sits in the store.
/// </summary>
public static class MirrorHeaders
{
    public const string SpecVersion = "ce_specversion";
    public const string Id = "ce_id";
    public const string Type = "ce_type";
    public const string Source = "ce_source";
    public const string Time = "ce_time";
    public const string ContentType = "content-type";
    public const string Revision = "es_revision";
    public const string Position = "es_position";

    public static Headers For(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Headers
        {
            { SpecVersion, "1.0"u8.ToArray() },
            { Id, Encoding.UTF8.GetBytes(record.EventId.ToString()) },
            { Type, Encoding.UTF8.GetBytes(record.EventType) },
            { Source, Encoding.UTF8.GetBytes(record.StreamId) },
            { Time, Encoding.UTF8.GetBytes(record.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)) },
            { ContentType, "application/json"u8.ToArray() },
            { Revision, Encoding.UTF8.GetBytes(record.Revision.ToString(CultureInfo.InvariantCulture)) },
            { Position, Encoding.UTF8.GetBytes(record.Position.ToString(CultureInfo.InvariantCulture)) },
        };
    }

    /// <summary>The header's text, or null when the message does not carry it.</summary>
    public static string? Text(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static long? Number(Headers? headers, string name) =>
        long.TryParse(Text(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static Guid? EventId(Headers? headers) => Guid.TryParse(Text(headers, Id), out var id) ? id : null;
}
