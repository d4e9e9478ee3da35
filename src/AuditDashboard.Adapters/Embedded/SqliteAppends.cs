using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using static AuditDashboard.Adapters.Embedded.SqliteRows;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// Appends to the embedded store: the expected-revision check, idempotent repeats of an earlier append, and the commit
/// time, all in one transaction on the writer.
/// </summary>
internal sealed class SqliteAppends(SqliteStoreFile file, TimeProvider timeProvider)
{
    /// <inheritdoc cref="IEventStore.AppendAsync"/>
    public async Task<AppendResult> AppendAsync(
        string streamId,
        ExpectedRevision expected,
        IReadOnlyList<EventData> events,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        EventBatch.Validate(events);
        return await file.WriteAsync(writer =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = Append(writer, streamId, expected, events, out var written);
            if (written)
            {
                file.Appended();
            }

            return result;
        }, cancellationToken);
    }

    private static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? []
        : MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array
        : bytes.ToArray();

    private AppendResult Append(SqliteWriter writer, string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, out bool written)
    {
        // BEGIN IMMEDIATE takes the file's write lock before anything is read, so the checks below and the inserts see
        // the same stream, also when another process writes to the file.
        using var transaction = writer.Begin();
        var head = ReadHead(writer);
        var result = AppendWithin(writer, streamId, expected, events, CommitTime(head), ref head, out written);
        if (written)
        {
            transaction.Commit();
        }

        return result;
    }

    /// <summary>
    /// Appends to several streams in one transaction with one commit time: all of them or, when any is refused, none.
    /// Each stream's append is checked as <see cref="AppendAsync"/> checks it, idempotent repeats included.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            ArgumentNullException.ThrowIfNull(append);
            ArgumentException.ThrowIfNullOrEmpty(append.StreamId);
            EventBatch.Validate(append.Events);
        }

        return await file.WriteAsync(writer =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = writer.Begin();
            var head = ReadHead(writer);
            var created = CommitTime(head);
            var results = new AppendResult[appends.Count];
            var anyWritten = false;
            for (var i = 0; i < appends.Count; i++)
            {
                results[i] = AppendWithin(writer, appends[i].StreamId, appends[i].Expected, appends[i].Events, created, ref head, out var written);
                anyWritten |= written;
            }

            if (anyWritten)
            {
                transaction.Commit();
                file.Appended();
            }

            return (IReadOnlyList<AppendResult>)results;
        }, cancellationToken);
    }

    private static (long Position, long Created) ReadHead(SqliteWriter writer)
    {
        using var reader = writer.Head.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, long.MinValue);
    }

    // The commit time, taken once, under the write lock. Never earlier than the last event's: "state at a moment"
    // binary-searches the recorded times, so they must not decrease in position order even if the clock steps back.
    private long CommitTime((long Position, long Created) head) => Math.Max(timeProvider.GetUtcNow().UtcTicks, head.Created);

    // One stream's append inside the open transaction, after the head; moves the head past what it inserted.
    private static AppendResult AppendWithin(
        SqliteWriter writer, string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, long created, ref (long Position, long Created) head, out bool written)
    {
        written = false;
        writer.LastOfStreamId.Value = streamId;
        long? lastRevision = null;
        var lastPosition = -1L;
        using (var reader = writer.LastOfStream.ExecuteReader())
        {
            if (reader.Read())
            {
                lastRevision = reader.GetInt64(0);
                lastPosition = reader.GetInt64(1);
            }
        }

        if (events.Count > 0 && FindRevision(writer, streamId, events[0].EventId) is { } firstStoredAt)
        {
            return EarlierResult(writer, streamId, expected, events, firstStoredAt)
                ?? throw new WrongExpectedRevisionException(streamId, expected, lastRevision);
        }

        if (!expected.IsMetBy(lastRevision))
        {
            throw new WrongExpectedRevisionException(streamId, expected, lastRevision);
        }

        if (events.Count == 0)
        {
            return new AppendResult(lastRevision ?? -1, lastPosition);
        }

        var revision = (lastRevision ?? -1) + 1;
        var position = head.Position + 1;

        writer.InsertStreamId.Value = streamId;
        writer.InsertCreated.Value = created;
        try
        {
            foreach (var e in events)
            {
                writer.InsertPosition.Value = position++;
                writer.InsertRevision.Value = revision++;
                writer.InsertEventId.Value = e.EventId.ToByteArray();
                writer.InsertEventType.Value = e.EventType;
                writer.InsertData.Value = ToArray(e.Data);
                writer.InsertMetadata.Value = ToArray(e.Metadata);
                writer.Insert.ExecuteNonQuery();
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteFailure.Constraint)
        {
            // The write lock rules out a revision clash, so this is UNIQUE(stream_id, event_id): a later event of the
            // batch is already in the stream while the first is not. That is no idempotent repeat; nothing is written.
            throw new WrongExpectedRevisionException(streamId, expected, lastRevision);
        }

        head = (position - 1, created);
        written = true;
        return new AppendResult(revision - 1, position - 1);
    }

    private static long? FindRevision(SqliteWriter writer, string streamId, Guid eventId)
    {
        writer.RevisionOfEventStreamId.Value = streamId;
        writer.RevisionOfEventEventId.Value = eventId.ToByteArray();
        return writer.RevisionOfEvent.ExecuteScalar() is long revision ? revision : null;
    }

    /// <summary>
    /// The result of the earlier append when this one repeats it: all its ids stored consecutively, starting at the
    /// revision this append would have given the first. Null when the repeat is partial or at another place.
    /// </summary>
    private static AppendResult? EarlierResult(SqliteWriter writer, string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, long firstStoredAt)
    {
        var wouldStartAt = expected.IsExact ? expected.Value + 1
            : expected.IsNoStream ? 0
            : firstStoredAt;
        if (firstStoredAt != wouldStartAt)
        {
            return null;
        }

        writer.EventIdsFromStreamId.Value = streamId;
        writer.EventIdsFromRevision.Value = firstStoredAt;
        writer.EventIdsFromCount.Value = events.Count;
        using var reader = writer.EventIdsFrom.ExecuteReader();
        var matched = 0;
        AppendResult? result = null;
        while (reader.Read())
        {
            if (ReadEventId(reader, 2) != events[matched].EventId)
            {
                return null;
            }

            matched++;
            result = new AppendResult(reader.GetInt64(0), reader.GetInt64(1));
        }

        return matched == events.Count ? result : null;
    }
}
