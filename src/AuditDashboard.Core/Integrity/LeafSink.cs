using System.Text.Unicode;
using System.Threading.Channels;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Where a store hands the ledger check the events it reads: each leaf's canonical form is written straight into a reused
/// batch, and full batches go to the thread that hashes them. Events that are not leaves are skipped here.
/// </summary>
public sealed class LeafSink
{
    private readonly ChannelWriter<LeafBatch> _full;
    private readonly ChannelReader<LeafBatch> _empty;
    private readonly CancellationToken _cancellationToken;
    private long _remaining;
    private LeafBatch _batch;

    internal LeafSink(ChannelWriter<LeafBatch> full, ChannelReader<LeafBatch> empty, long limit, CancellationToken cancellationToken)
    {
        _full = full;
        _empty = empty;
        _remaining = limit;
        _cancellationToken = cancellationToken;
        _batch = Take();
    }

    /// <summary>The position of the last event taken, leaf or not; -1 before the first.</summary>
    internal long LastPosition { get; private set; } = -1;

    /// <summary>Takes one event; false when no more are wanted (the check has what it needs, or has stopped).</summary>
    public bool Add(in StoredEventBytes stored)
    {
        if (_remaining <= 0)
            return false;
        LastPosition = stored.Position;
        if (!LedgerLeaf.IsLeaf(stored.StreamId))
            return true;
        if (Utf8.IsValid(stored.StreamId) && Utf8.IsValid(stored.EventType))
            return Append(stored);

        // Bytes that are not UTF-8 (only a hand-edited file has them) are taken as reading them into a string takes them, so
        // that the leaf is the one the sealer computes from the same row.
        var streamId = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stored.StreamId));
        var eventType = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stored.EventType));
        return Append(new StoredEventBytes(stored.Position, streamId, stored.Revision, stored.EventId, eventType, stored.Data, stored.Metadata, stored.CreatedUtcTicks));
    }

    /// <summary>Takes one event read through <see cref="IEventStore.ReadAllAsync"/>; false when no more are wanted.</summary>
    internal async ValueTask<bool> AddAsync(RecordedEvent record)
    {
        if (_remaining <= 0)
            return false;
        LastPosition = record.Position;
        if (!LedgerLeaf.IsLeaf(record.StreamId))
            return true;
        if (TryAppend(record))
            return true;
        return await SendAsync() && TryAppend(record);
    }

    /// <summary>
    /// Sends the leaves taken so far without waiting for the batch to fill: a follower has read all there is for now. With
    /// <paramref name="caughtUp"/> the batch is sent even when empty, marked as the end of what the store held.
    /// </summary>
    internal async ValueTask<bool> FlushAsync(bool caughtUp)
    {
        if (_batch.Count == 0 && !caughtUp)
            return true;
        _batch.CaughtUp = caughtUp;
        return await SendAsync();
    }

    /// <summary><see cref="FlushAsync"/> for a reader on a thread of its own.</summary>
    internal bool Flush(bool caughtUp) => Wait(FlushAsync(caughtUp));

    /// <summary>Sends what is left; the reader is done (or failed, which the check learns from its task).</summary>
    internal void Complete()
    {
        if (_batch.Count > 0 && _remaining >= 0)
            Wait(SendAsync());
        _full.TryComplete();
    }

    private bool Append(in StoredEventBytes stored)
    {
        var length = 1 + LedgerLeaf.EncodedLength(stored);
        var room = _batch.Reserve(length);
        if (room.IsEmpty)
        {
            if (!Wait(SendAsync()))
                return false;
            room = _batch.Reserve(length);
        }

        room[0] = 0x00;
        LedgerLeaf.Write(stored, room[1..]);
        return Commit(stored.Position, length);
    }

    private bool TryAppend(RecordedEvent record)
    {
        var length = 1 + LedgerLeaf.EncodedLength(record);
        var room = _batch.Reserve(length);
        if (room.IsEmpty)
            return false;
        room[0] = 0x00;
        LedgerLeaf.Write(record, room[1..]);
        Commit(record.Position, length);
        return true;
    }

    private bool Commit(long position, int length)
    {
        _batch.Commit(position, length);
        if (--_remaining == 0)
            Complete();
        return true;
    }

    private async ValueTask<bool> SendAsync()
    {
        var batch = _batch;
        _batch = Take();
        while (!_full.TryWrite(batch))
        {
            if (!await _full.WaitToWriteAsync(_cancellationToken))
            {
                _remaining = -1;
                return false;
            }
        }

        return true;
    }

    // The store's own reader runs on a thread of its own; waiting there for the hashing thread to take a batch is the point.
    private static bool Wait(ValueTask<bool> pending) => pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private LeafBatch Take()
    {
        if (!_empty.TryRead(out var batch))
            return new LeafBatch();
        batch.Clear();
        return batch;
    }
}
