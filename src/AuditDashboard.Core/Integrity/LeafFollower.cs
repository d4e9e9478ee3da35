using System.Threading.Channels;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Follows <c>$all</c> for the sealer and hands it the new leaves' hash inputs in batches, in commit order. A store that
/// reads its own storage (<see cref="ILedgerLeafSource"/>) is read straight into the batches after each append, with no
/// <see cref="RecordedEvent"/> per event: that object, built for each of a busy ledger's events, was most of what sealing
/// cost the appends beside it. Any other store is followed through its subscription. The batch sent when the follower has
/// first read everything there is carries <see cref="LeafBatch.CaughtUp"/>.
/// </summary>
internal sealed class LeafFollower
{
    private const int BatchesInFlight = 4;

    private readonly Channel<LeafBatch> _full = Channel.CreateBounded<LeafBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
    private readonly Channel<LeafBatch> _empty = Channel.CreateUnbounded<LeafBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Batches of new leaves; completes when following ends, with the store's error if it failed.</summary>
    public ChannelReader<LeafBatch> Batches => _full.Reader;

    /// <summary>Gives a batch back once its leaves are folded into the tree, to be filled again.</summary>
    public void Return(LeafBatch batch) => _empty.Writer.TryWrite(batch);

    /// <summary>Follows the store from after <paramref name="afterPosition"/> (null: from the start) until cancelled.</summary>
    public Task RunAsync(IEventStore store, long? afterPosition, CancellationToken cancellationToken)
    {
        var sink = new LeafSink(_full.Writer, _empty.Reader, long.MaxValue, cancellationToken);
        return store is ILedgerLeafSource source
            ? Task.Factory.StartNew(() => FollowAsync(() => Read(source, afterPosition, sink, cancellationToken), cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
            : FollowAsync(() => SubscribeAsync(store, afterPosition, sink, cancellationToken), cancellationToken);
    }

    /// <summary>Runs one way of following and ends the batches after it; a failure (not the stop asked for) reaches the sealer through them.</summary>
    private async Task FollowAsync(Func<Task> follow, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            await follow();
        }
#pragma warning disable CA1031 // Handed to the reader, which rethrows it from the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? null : ex;
        }

        _full.Writer.TryComplete(error is null ? null : new InvalidOperationException("The sealer could not follow $all: " + error.Message, error));
    }

    private static Task Read(ILedgerLeafSource source, long? afterPosition, LeafSink sink, CancellationToken cancellationToken)
    {
        var from = afterPosition + 1 ?? AllPosition.Start;
        for (var caughtUp = false; !cancellationToken.IsCancellationRequested; caughtUp = true)
        {
            // Taken before the read: an append that commits after the read completes it.
            var appended = source.NextAppendAsync(cancellationToken);
            source.ReadLeaves(from, sink, cancellationToken);
            from = Math.Max(from, sink.LastPosition + 1);
            if (!sink.Flush(caughtUp: !caughtUp))
                break;
            appended.GetAwaiter().GetResult();
        }

        return Task.CompletedTask;
    }

    private static async Task SubscribeAsync(IEventStore store, long? afterPosition, LeafSink sink, CancellationToken cancellationToken)
    {
        var live = false;
        await foreach (var message in store.SubscribeToAllAsync(afterPosition, null, cancellationToken))
        {
            if (message is SubscriptionMessage.CaughtUp)
            {
                live = true;
                if (!await sink.FlushAsync(caughtUp: true))
                    break;
                continue;
            }

            // Once live, each event goes out as it comes: the subscription does not say whether another one follows.
            if (!await sink.AddAsync(((SubscriptionMessage.EventAppeared)message).Record) || (live && !await sink.FlushAsync(caughtUp: false)))
                break;
        }
    }
}
