using System.Text.Json;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>Conversions between the port's types and the v1 gRPC messages.</summary>
internal static class EventStoreDbWire
{
    /// <summary>Metadata keys the server reads on append and fills on read.</summary>
    public const string TypeKey = "type";
    public const string ContentTypeKey = "content-type";
    public const string CreatedKey = "created";

    public const string OctetStream = "application/octet-stream";

    private static readonly Empty Nothing = new();

    public static StreamIdentifier StreamId(string streamId) => new() { StreamName = ByteString.CopyFromUtf8(streamId) };

    public static UUID Uuid(Guid id)
    {
        var (most, least) = EsdbUuid.ToHalves(id);
        return new UUID { Structured = new UUID.Types.Structured { MostSignificantBits = most, LeastSignificantBits = least } };
    }

    public static Guid ToGuid(UUID? id) => id?.ValueCase switch
    {
        UUID.ValueOneofCase.Structured => EsdbUuid.FromHalves(id.Structured.MostSignificantBits, id.Structured.LeastSignificantBits),
        UUID.ValueOneofCase.String => Guid.Parse(id.String, CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException("The server sent an event without an id."),
    };

    public static AppendReq Options(string streamId, ExpectedRevision expected)
    {
        var options = new AppendReq.Types.Options { StreamIdentifier = StreamId(streamId) };
        if (expected.IsAny)
            options.Any = Nothing;
        else if (expected.IsNoStream)
            options.NoStream = Nothing;
        else if (expected.IsStreamExists)
            options.StreamExists = Nothing;
        else
            options.Revision = (ulong)expected.Value;
        return new AppendReq { Options = options };
    }

    public static AppendReq Proposed(EventData e) => new()
    {
        ProposedMessage = new AppendReq.Types.ProposedMessage
        {
            Id = Uuid(e.EventId),
            Metadata =
            {
                [TypeKey] = e.EventType,
                [ContentTypeKey] = ContentTypeOf(e.Data),
            },
            Data = ByteString.CopyFrom(e.Data.Span),
            CustomMetadata = ByteString.CopyFrom(e.Metadata.Span),
        },
    };

    /// <summary>
    /// The port has no content type: data that parses as JSON is declared JSON (the convention, and what the server's
    /// projections and UI expect), anything else as bytes, so the server never holds a "JSON" event it cannot parse.
    /// </summary>
    public static string ContentTypeOf(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
            return OctetStream;
        try
        {
            var reader = new Utf8JsonReader(data.Span);
            while (reader.Read())
            {
            }

            return EventData.JsonContentType;
        }
        catch (JsonException)
        {
            return OctetStream;
        }
    }

    public static RecordedEvent ToRecorded(ReadResp.Types.ReadEvent read)
    {
        var e = read.Event ?? throw new InvalidDataException("The server sent a read answer without an event.");
        var position = e.CommitPosition != 0 || read.PositionCase != ReadResp.Types.ReadEvent.PositionOneofCase.CommitPosition
            ? e.CommitPosition
            : read.CommitPosition;
        return Recorded(e.StreamIdentifier, e.StreamRevision, position, e.Id, e.Metadata, e.Data, e.CustomMetadata);
    }

    /// <summary>An event as a persistent subscription delivers it: the resolved event when it came through a link.</summary>
    public static RecordedEvent ToRecorded(Protocol.Persistent.ReadResp.Types.ReadEvent read)
    {
        var e = read.Event ?? read.Link ?? throw new InvalidDataException("The server sent a persistent subscription event without an event.");
        var position = e.CommitPosition != 0 || read.PositionCase != Protocol.Persistent.ReadResp.Types.ReadEvent.PositionOneofCase.CommitPosition
            ? e.CommitPosition
            : read.CommitPosition;
        return Recorded(e.StreamIdentifier, e.StreamRevision, position, e.Id, e.Metadata, e.Data, e.CustomMetadata);
    }

    /// <summary>The port's event from the fields that the streams and the persistent subscriptions services' records share.</summary>
    private static RecordedEvent Recorded(
        StreamIdentifier? stream, ulong revision, ulong position, UUID? id, MapField<string, string> metadata, ByteString data, ByteString customMetadata) => new(
            stream?.StreamName.ToStringUtf8() ?? "",
            checked((long)revision),
            checked((long)position),
            ToGuid(id),
            metadata.TryGetValue(TypeKey, out var type) ? type : "",
            data.ToByteArray(),
            customMetadata.ToByteArray(),
            Created(metadata));

    /// <summary>The server's commit time: 100 ns ticks since the Unix epoch, as decimal text.</summary>
    public static DateTimeOffset Created(IDictionary<string, string> metadata) =>
        metadata.TryGetValue(CreatedKey, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(DateTime.UnixEpoch.Ticks + ticks, TimeSpan.Zero)
            : throw new InvalidDataException($"The server sent an event without a readable '{CreatedKey}' time ('{text}').");

    public static string Describe(StreamIdentifier? id) => id is null ? "?" : Encoding.UTF8.GetString(id.StreamName.Span);
}
