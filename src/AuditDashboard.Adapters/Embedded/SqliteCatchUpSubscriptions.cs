using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// Catch-up subscriptions of the embedded store (a stream, or <c>$all</c> with a stream-prefix filter): history page by
/// page, CaughtUp, then live events as this process appends them or as polling finds those of other processes.
/// </summary>
internal sealed class SqliteCatchUpSubscriptions(SqliteStoreFile file, SqliteReads reads)
{
    private static readonly SubscriptionMessage.CaughtUp CaughtUpMessage = new();

    /// <inheritdoc cref="IEventStore.SubscribeToStreamAsync"/>
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (afterRevision is { } revision)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(revision, nameof(afterRevision));
        }

        file.ThrowIfNotInitialized();
        return SubscribeAsync(
            async (after, count, token) => new Page(await reads.ReadStreamPageAsync(streamId, Direction.Forwards, after + 1, count, token)),
            e => e.Revision,
            afterRevision ?? -1,
            cancellationToken);
    }

    /// <inheritdoc cref="IEventStore.SubscribeToAllAsync"/>
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        if (afterPosition is { } position)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(afterPosition));
        }

        file.ThrowIfNotInitialized();
        var prefix = string.IsNullOrEmpty(streamPrefix) ? null : streamPrefix;
        return SubscribeAsync(
            prefix is null
                ? async (after, count, token) => new Page(await reads.ReadAllPageAsync(Direction.Forwards, after + 1, count, null, token))
                : (after, count, token) => ReadFilteredPageAsync(after, count, prefix, token),
            e => e.Position,
            afterPosition ?? -1,
            cancellationToken);
    }

    /// <summary>
    /// Catch-up then live, by one loop: read the page after the last delivered key until a page comes back short,
    /// say CaughtUp once, then wait for an in-process append or the poll interval and read again.
    /// </summary>
    /// <remarks>
    /// Reading "key &gt; last delivered" is gap-free. SQLite admits one write transaction at a time on a file (across
    /// processes too), and an append assigns its positions and revisions inside its transaction, above everything
    /// committed before it; readers see only whole committed transactions. So once a reader sees position p, every
    /// position below p that will ever exist is already committed and visible: none can appear later behind the cursor.
    /// The same holds for revisions within a stream. Hence no gap, and the strictly advancing cursor means no duplicate.
    /// </remarks>
    private async IAsyncEnumerable<SubscriptionMessage> SubscribeAsync(
        Func<long, int, CancellationToken, Task<Page>> readPageAfter,
        Func<RecordedEvent, long> keyOf,
        long after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, file.Disposing);
        var token = stop.Token;
        var caughtUp = false;
        var pageSize = file.Options.ReadPageSize;
        while (!token.IsCancellationRequested)
        {
            var appended = file.NextAppend;
            var page = await UnlessCancelledAsync(readPageAfter(after, pageSize, token), token);
            if (page is null)
            {
                yield break;
            }

            foreach (var record in page.Events)
            {
                if (token.IsCancellationRequested)
                {
                    yield break;
                }

                yield return new SubscriptionMessage.EventAppeared(record);
                after = keyOf(record);
            }

            if (page.Events.Count == pageSize)
            {
                continue;
            }

            after = Math.Max(after, page.ScannedTo);

            if (!caughtUp)
            {
                caughtUp = true;
                yield return CaughtUpMessage;
            }

            await file.WaitForAppendAsync(appended, token);
        }
    }

    /// <summary>Cancellation ends a subscription quietly: the page read's OperationCanceledException becomes null.</summary>
    private static async Task<Page?> UnlessCancelledAsync(Task<Page> read, CancellationToken token)
    {
        try
        {
            return await read;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// A page of a prefix-filtered subscription, and how far it scanned. The head is read first; if the page then
    /// comes back short, every event up to that head was visible to the page query and none matched beyond those
    /// returned, so the cursor may skip to the head. Without this, a rarely matching prefix would rescan every
    /// non-matching event after the last match on each poll.
    /// </summary>
    private async Task<Page> ReadFilteredPageAsync(long after, int count, string prefix, CancellationToken cancellationToken)
    {
        long head;
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(max(position), 0) FROM events";
            head = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }

        return new Page(await reads.ReadAllPageAsync(Direction.Forwards, after + 1, count, prefix, cancellationToken), head);
    }

    /// <summary>Events read after the cursor; <paramref name="ScannedTo"/>: a key the cursor may move to when the page is short.</summary>
    private sealed record Page(List<RecordedEvent> Events, long ScannedTo = -1);
}
