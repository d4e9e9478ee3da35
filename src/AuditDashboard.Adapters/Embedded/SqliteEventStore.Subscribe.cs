using System.Runtime.CompilerServices;
using AuditDashboard.EventStore;

namespace AuditDashboard.Embedded;

public sealed partial class SqliteEventStore
{
    private static readonly SubscriptionMessage.CaughtUp CaughtUpMessage = new();

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (afterRevision is { } revision)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(revision, nameof(afterRevision));
        }

        ThrowIfNotInitialized();
        return SubscribeAsync(
            (after, count, token) => ReadStreamPageAsync(streamId, Direction.Forwards, after + 1, count, token),
            e => e.Revision,
            afterRevision ?? -1,
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        if (afterPosition is { } position)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(afterPosition));
        }

        ThrowIfNotInitialized();
        var prefix = string.IsNullOrEmpty(streamPrefix) ? null : streamPrefix;
        return SubscribeAsync(
            (after, count, token) => ReadAllPageAsync(Direction.Forwards, after + 1, count, prefix, token),
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
        Func<long, int, CancellationToken, Task<List<RecordedEvent>>> readPageAfter,
        Func<RecordedEvent, long> keyOf,
        long after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = stop.Token;
        var caughtUp = false;
        var pageSize = _options.ReadPageSize;
        while (!token.IsCancellationRequested)
        {
            var appended = _appended.Next;
            var page = await UnlessCancelledAsync(readPageAfter(after, pageSize, token), token);
            if (page is null)
            {
                yield break;
            }

            foreach (var record in page)
            {
                if (token.IsCancellationRequested)
                {
                    yield break;
                }

                yield return new SubscriptionMessage.EventAppeared(record);
                after = keyOf(record);
            }

            if (page.Count == pageSize)
            {
                continue;
            }

            if (!caughtUp)
            {
                caughtUp = true;
                yield return CaughtUpMessage;
            }

            await WaitForAppendAsync(appended, token);
        }
    }

    /// <summary>Cancellation ends a subscription quietly: the page read's OperationCanceledException becomes null.</summary>
    private static async Task<List<RecordedEvent>?> UnlessCancelledAsync(Task<List<RecordedEvent>> read, CancellationToken token)
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

    /// <summary>Returns on an in-process append, after the poll interval (writers in other processes), or on cancellation.</summary>
    private async Task WaitForAppendAsync(Task appended, CancellationToken token)
    {
        using var pollCancellation = CancellationTokenSource.CreateLinkedTokenSource(token);
        var poll = Task.Delay(_options.PollInterval, pollCancellation.Token);
        await Task.WhenAny(appended, poll);
        await pollCancellation.CancelAsync();
    }
}
