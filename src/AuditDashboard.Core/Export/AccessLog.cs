using System.Runtime.CompilerServices;
using System.Text.Json;
using AuditDashboard.Accounts;
using AuditDashboard.EventStore;

namespace AuditDashboard.Export;

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
    string? Signature = null);

/// <summary>An access-log event read back, with its position in the log; <see cref="Export"/> is null when it does not parse.</summary>
public sealed record AccessLogEntry(long Revision, DateTimeOffset Recorded, ExportRecorded? Export, string EventType);

/// <summary>
/// The access log: the stream <c>audit-access</c>, one <c>TimelineExported</c> event per export (its event id the export's
/// id, so recording one twice writes it once). History is never edited, this log included.
/// </summary>
public static class AccessLog
{
    public const string StreamId = "audit-access";
    public const string ExportedType = "TimelineExported";

    private static readonly JsonSerializerOptions Json = AccountEventCodec.JsonOptions;

    public static async Task AppendAsync(IEventStore store, ExportRecorded export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(export);
        var metadata = new EventMetadata(export.ExportedBy, $"Compliance export of {export.AccountId}", export.ExportId.ToString("D"), null, "audit-dashboard");
        var data = new EventData(
            export.ExportId,
            ExportedType,
            JsonSerializer.SerializeToUtf8Bytes(export, Json),
            JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
        await store.AppendAsync(StreamId, ExpectedRevision.Any, [data], cancellationToken);
    }

    /// <summary>The newest entries first, skipping <paramref name="skip"/>.</summary>
    public static async IAsyncEnumerable<AccessLogEntry> ReadNewestAsync(
        IEventStore store, long skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.GetLastRevisionAsync(StreamId, cancellationToken) is not { } last || skip > last)
            yield break;
        await foreach (var record in store.ReadStreamAsync(StreamId, Direction.Backwards, last - skip, take, cancellationToken))
            yield return new AccessLogEntry(record.Revision, record.Created, Decode(record), record.EventType);
    }

    /// <summary>How many entries the log holds.</summary>
    public static async Task<long> CountAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.GetLastRevisionAsync(StreamId, cancellationToken) is { } last ? last + 1 : 0;
    }

    private static ExportRecorded? Decode(RecordedEvent record)
    {
        if (record.EventType != ExportedType)
            return null;
        try
        {
            return JsonSerializer.Deserialize<ExportRecorded>(record.Data.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
