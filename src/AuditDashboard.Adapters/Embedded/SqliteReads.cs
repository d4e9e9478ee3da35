using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using static AuditDashboard.Adapters.Embedded.SqliteRows;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// Stream and <c>$all</c> reads of the embedded store, page by page on short-lived reader connections; the catch-up
/// subscriptions read their pages here too.
/// </summary>
internal sealed class SqliteReads(SqliteStoreFile file)
{

    // Stream reads walk the UNIQUE (stream_id, revision) index; $all reads walk the primary key.
    private const string StreamForwardsSql =
        $"SELECT {Columns} FROM events WHERE stream_id = $stream AND revision >= $from ORDER BY revision LIMIT $count";

    private const string StreamBackwardsSql =
        $"SELECT {Columns} FROM events WHERE stream_id = $stream AND revision <= $from ORDER BY revision DESC LIMIT $count";

    // A prefix compared with substr, not LIKE: '%' and '_' in a stream id are plain characters, and LIKE would also
    // ignore case. length() and substr() both count characters, so any prefix compares exactly.
    private const string PrefixFilter = "($prefix IS NULL OR substr(stream_id, 1, length($prefix)) = $prefix)";

    private const string AllForwardsSql =
        $"SELECT {Columns} FROM events WHERE position >= $from AND {PrefixFilter} ORDER BY position LIMIT $count";

    private const string AllBackwardsSql =
        $"SELECT {Columns} FROM events WHERE position <= $from AND {PrefixFilter} ORDER BY position DESC LIMIT $count";

    /// <inheritdoc cref="IEventStore.ReadStreamAsync"/>
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(
        string streamId,
        Direction direction,
        long fromRevision,
        long maxCount,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ThrowIfUnknown(direction);
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        file.ThrowIfNotInitialized();
        return ReadInPagesAsync(
            (from, count, token) => ReadStreamPageAsync(streamId, direction, from, count, token),
            e => e.Revision,
            direction,
            fromRevision,
            maxCount,
            cancellationToken);
    }

    /// <inheritdoc cref="IEventStore.GetLastRevisionAsync"/>
    public async Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        file.ThrowIfNotInitialized();
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT revision FROM events WHERE stream_id = $stream ORDER BY revision DESC LIMIT 1";
            command.Parameters.Add("$stream", SqliteType.Text).Value = streamId;
            return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }
    }

    /// <inheritdoc cref="IEventStore.ReadAllAsync"/>
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(
        Direction direction,
        long fromPosition,
        long maxCount,
        string? streamPrefix = null,
        CancellationToken cancellationToken = default)
    {
        ThrowIfUnknown(direction);
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        file.ThrowIfNotInitialized();
        var prefix = string.IsNullOrEmpty(streamPrefix) ? null : streamPrefix;
        return ReadInPagesAsync(
            (from, count, token) => ReadAllPageAsync(direction, from, count, prefix, token),
            e => e.Position,
            direction,
            fromPosition,
            maxCount,
            cancellationToken);
    }

    private static void ThrowIfUnknown(Direction direction)
    {
        if (direction is not (Direction.Forwards or Direction.Backwards))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction.");
        }
    }

    /// <summary>
    /// Yields events page by page. Each page is a fresh short query on a pooled connection, read completely and closed
    /// before anything is yielded, so a slow consumer never holds a read transaction (which would stop WAL checkpoints).
    /// Pages are keyed by revision or position, which are immutable once committed, so no event is skipped or repeated.
    /// </summary>
    private async IAsyncEnumerable<RecordedEvent> ReadInPagesAsync(
        Func<long, int, CancellationToken, Task<List<RecordedEvent>>> readPage,
        Func<RecordedEvent, long> keyOf,
        Direction direction,
        long from,
        long maxCount,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var remaining = maxCount;
        while (remaining > 0)
        {
            var count = (int)Math.Min(remaining, file.Options.ReadPageSize);
            var page = await readPage(from, count, cancellationToken);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < count)
            {
                yield break;
            }

            remaining -= page.Count;
            var last = keyOf(page[^1]);
            if (direction == Direction.Forwards)
            {
                from = last + 1;
            }
            else if (last == 0)
            {
                yield break;
            }
            else
            {
                from = last - 1;
            }
        }
    }

    public Task<List<RecordedEvent>> ReadStreamPageAsync(string streamId, Direction direction, long from, int count, CancellationToken cancellationToken) =>
        QueryAsync(
            direction == Direction.Forwards ? StreamForwardsSql : StreamBackwardsSql,
            parameters =>
            {
                parameters.Add("$stream", SqliteType.Text).Value = streamId;
                parameters.Add("$from", SqliteType.Integer).Value = from;
                parameters.Add("$count", SqliteType.Integer).Value = count;
            },
            streamId,
            count,
            cancellationToken);

    /// <summary>The events at these positions (at most a page's worth), in the order given; positions without one are left out.</summary>
    public async Task<List<RecordedEvent>> ReadPositionsPageAsync(IReadOnlyList<long> positions, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(
            $"SELECT {Columns} FROM events WHERE position IN (SELECT value FROM json_each($positions))",
            parameters => parameters.Add("$positions", SqliteType.Text).Value = "[" + string.Join(",", positions.Select(p => p.ToString(CultureInfo.InvariantCulture))) + "]",
            null,
            positions.Count,
            cancellationToken);
        var byPosition = found.ToDictionary(e => e.Position);
        return [.. positions.Where(byPosition.ContainsKey).Select(p => byPosition[p])];
    }

    public Task<List<RecordedEvent>> ReadAllPageAsync(Direction direction, long from, int count, string? prefix, CancellationToken cancellationToken) =>
        QueryAsync(
            direction == Direction.Forwards ? AllForwardsSql : AllBackwardsSql,
            parameters =>
            {
                parameters.Add("$from", SqliteType.Integer).Value = from;
                parameters.Add("$prefix", SqliteType.Text).Value = (object?)prefix ?? DBNull.Value;
                parameters.Add("$count", SqliteType.Integer).Value = count;
            },
            null,
            count,
            cancellationToken);

    private async Task<List<RecordedEvent>> QueryAsync(
        string sql,
        Action<SqliteParameterCollection> bind,
        string? streamId,
        int count,
        CancellationToken cancellationToken)
    {
        var page = new List<RecordedEvent>(count);
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(ReadRecord(reader, streamId));
            }
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }

        return page;
    }
}
