using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.Export;

/// <summary>How an export ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportOutcome>))]
public enum ExportOutcome
{
    /// <summary>Every row was written; the digest is the file's.</summary>
    Completed,

    /// <summary>The download stopped before the end (the reader went away); the file is incomplete and has no digest.</summary>
    Aborted,

    /// <summary>The export could not be written; nothing usable was handed out.</summary>
    Failed,
}

/// <summary>
/// One export, as the access log records it: who exported which account, range, view and format, and the outcome; for a
/// completed export the digest, and the id of the key that signed it with the signature (base64url) the file carries.
/// </summary>
public sealed record ExportRecorded(
    Guid ExportId,
    string AccountId,
    string View,
    string Format,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string ExportedBy,
    DateTimeOffset ExportedAt,
    DateTimeOffset FinishedAt,
    ExportOutcome Outcome,
    long Count,
    string? Digest,
    string? KeyId = null,
    string? Signature = null)
{
    /// <summary>For the export of a search across accounts: its filters in words (then <see cref="AccountId"/> is empty).</summary>
    public string? Search { get; init; }
}

/// <summary>An export as the access log records its start, before the first byte of the file leaves the server.</summary>
public sealed record ExportStarted(
    Guid ExportId,
    string AccountId,
    string View,
    string Format,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string ExportedBy,
    DateTimeOffset ExportedAt)
{
    /// <summary>For the export of a search across accounts: its filters in words (then <see cref="AccountId"/> is empty).</summary>
    public string? Search { get; init; }
}

/// <summary>
/// An access-log event read back, with its position in the log: an export's end (<see cref="Export"/>), its start
/// (<see cref="Started"/>), a sign-in event (<see cref="SignIn"/>) or looks at account data (<see cref="Access"/>); all
/// are null when it does not parse.
/// </summary>
public sealed record AccessLogEntry(
    long Revision,
    DateTimeOffset Recorded,
    ExportRecorded? Export,
    string EventType,
    ExportStarted? Started = null,
    SignInRecorded? SignIn = null,
    AccessRecorded? Access = null);

/// <summary>
/// The access log: the stream <c>audit-access</c>, two events per export: <c>TimelineExportStarted</c> before the file's
/// first byte leaves (appended only under an export id the log has never held, see <see cref="ExportStarts"/>), and
/// <c>TimelineExported</c> with the outcome (its event id the export's id, so recording one twice writes it once); and the
/// sign-in events (<see cref="SignInEvents"/>); and the looks at account data (<see cref="AccessEvents"/>). History is never edited, this log included.
/// </summary>
public static class AccessLog
{
    public const string StreamId = "audit-access";
    public const string ExportedType = "TimelineExported";
    public const string StartedType = "TimelineExportStarted";

    private static readonly JsonSerializerOptions Json = AccountEventCodec.JsonOptions;

    public static async Task AppendAsync(IEventStore store, ExportRecorded export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(export);
        var metadata = new EventMetadata(export.ExportedBy, $"Compliance export of {export.Search ?? export.AccountId}", export.ExportId.ToString("D"), null, "audit-dashboard");
        var data = new EventData(
            export.ExportId,
            ExportedType,
            JsonSerializer.SerializeToUtf8Bytes(export, Json),
            JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
        await store.AppendAsync(StreamId, ExpectedRevision.Any, [data], cancellationToken);
    }

    /// <summary>The start of an export as an event, under a new event id of its own (see <see cref="ExportStarts"/> for why).</summary>
    public static EventData StartedEvent(Guid eventId, ExportStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        var metadata = new EventMetadata(started.ExportedBy, $"Compliance export of {started.Search ?? started.AccountId} started", started.ExportId.ToString("D"), null, "audit-dashboard");
        return new EventData(eventId, StartedType, JsonSerializer.SerializeToUtf8Bytes(started, Json), JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
    }

    /// <summary>The newest entries first, skipping <paramref name="skip"/>.</summary>
    public static async IAsyncEnumerable<AccessLogEntry> ReadNewestAsync(
        IEventStore store, long skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.GetLastRevisionAsync(StreamId, cancellationToken) is not { } last || skip > last)
            yield break;
        await foreach (var record in store.ReadStreamAsync(StreamId, Direction.Backwards, last - skip, take, cancellationToken))
            yield return new AccessLogEntry(
                record.Revision, record.Created, Decode<ExportRecorded>(record, ExportedType), record.EventType,
                Decode<ExportStarted>(record, StartedType), SignInEvents.Decode(record), AccessEvents.Decode(record));
    }

    /// <summary>How many entries the log holds.</summary>
    public static async Task<long> CountAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.GetLastRevisionAsync(StreamId, cancellationToken) is { } last ? last + 1 : 0;
    }

    /// <summary>
    /// The export id an access-log event names: in its data (<c>exportId</c>), whatever its type, so an id is known to the
    /// log even in an entry this dashboard cannot read fully.
    /// </summary>
    public static Guid? ExportIdOf(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var data = JsonDocument.Parse(record.Data);
            return data.RootElement.ValueKind == JsonValueKind.Object && data.RootElement.TryGetProperty("exportId", out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var exportId)
                ? exportId
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Decode<T>(RecordedEvent record, string type)
        where T : class
    {
        if (record.EventType != type)
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(record.Data.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
