using System.Threading.Channels;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Recomputes the ledger's Merkle tree from the store, leaf by leaf in <c>$all</c> order, and compares the root at each seal's
/// tree size with the root the seal signed. Leaf records, when given, name the first event that differs.
/// </summary>
public sealed class LedgerVerifier(IEventStore store, TimeProvider time)
{
    private const int ReferenceChunk = 4096;
    private const int ProgressEvery = 1 << 16;
    private const int BatchesInFlight = 4;

    public async Task<LedgerCheckResult> CheckAsync(LedgerCheckRequest request, IProgress<LedgerCheckProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var seals = request.Seals;
        var target = seals.Count == 0 ? 0 : seals[^1].TreeSize;
        var frontier = new MerkleFrontier();

        if (CheckSeals(request) is { } badSeal)
            return new LedgerCheckResult(badSeal, 0, 0, frontier, null, null, time.GetElapsedTime(started));

        var reference = new ReferenceReader(request.Reference);
        long index = 0;
        long? lastPosition = null;
        var fromPosition = AllPosition.Start;
        if (request.FromSeal > 0 && StartAfter(request, reference, frontier) is { } resumed)
        {
            index = frontier.Size;
            lastPosition = resumed;
            fromPosition = resumed + 1;
        }
        else if (frontier.Size > 0)
        {
            frontier = new MerkleFrontier();
        }

        var walk = new Walk(seals, reference, request.Extend, frontier, index, lastPosition);
        if (index < target && await ReadAsync(fromPosition, target - index, walk, target, progress, cancellationToken) is { } violation)
            return Result(violation);

        progress?.Report(new LedgerCheckProgress(walk.Index, target));
        return Result(walk.Index < target ? walk.Shorter() : null);

        LedgerCheckResult Result(IntegrityViolation? violation) =>
            new(violation, walk.Index, walk.SealsChecked, frontier, walk.LastPosition, walk.ReferenceMismatch, time.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads and hashes the leaves in a pipeline: the store's reader writes canonical forms into batches on one thread while
    /// this one hashes the batch before and folds it into the tree in order.
    /// </summary>
    private async Task<IntegrityViolation?> ReadAsync(long fromPosition, long leaves, Walk walk, long target, IProgress<LedgerCheckProgress>? progress, CancellationToken cancellationToken)
    {
        var full = Channel.CreateBounded<LeafBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
        var empty = Channel.CreateUnbounded<LeafBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sink = new LeafSink(full.Writer, empty.Reader, leaves, cancellationToken);
        var reader = store is ILedgerLeafSource source
            ? Task.Factory.StartNew(() => Read(source, fromPosition, sink, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(() => ReadRecordsAsync(fromPosition, sink, cancellationToken), cancellationToken);
        try
        {
            var hash = new byte[MerkleHash.Size];
            await foreach (var batch in full.Reader.ReadAllAsync(cancellationToken))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var input = batch.HashInput(i);
                    SHA256.HashData(input, hash);
                    if (walk.Add(batch.Positions[i], input[1..], hash) is { } violation)
                        return violation;
                    if (walk.Index % ProgressEvery == 0)
                        progress?.Report(new LedgerCheckProgress(walk.Index, target));
                }

                empty.Writer.TryWrite(batch);
            }
        }
        finally
        {
            // Stops the reader when the check ends before the store does (a mismatch, or cancelled).
            full.Writer.TryComplete();
        }

        await reader;
        return null;
    }

    private static void Read(ILedgerLeafSource source, long fromPosition, LeafSink sink, CancellationToken cancellationToken)
    {
        try
        {
            source.ReadLeaves(fromPosition, sink, cancellationToken);
        }
        finally
        {
            sink.Complete();
        }
    }

    private async Task ReadRecordsAsync(long fromPosition, LeafSink sink, CancellationToken cancellationToken)
    {
        try
        {
            // A resumed check starts after the last event it had checked. EventStoreDB refuses a position that is no event's,
            // so the read starts at that event itself and passes over it.
            var start = fromPosition > AllPosition.Start ? fromPosition - 1 : fromPosition;
            await foreach (var record in store.ReadAllAsync(Direction.Forwards, start, long.MaxValue, null, cancellationToken))
            {
                if (record.Position < fromPosition)
                    continue;
                if (!await sink.AddAsync(record))
                    break;
            }
        }
        finally
        {
            sink.Complete();
        }
    }

    private static IntegrityViolation? CheckSeals(LedgerCheckRequest request)
    {
        LedgerSeal? previous = null;
        foreach (var seal in request.Seals)
        {
            if (!seal.IsSignedBy(request.Keys))
                return new IntegrityViolation(ViolationKind.BadSeal, seal.Number, null, null, null, null,
                    $"Seal {seal.Number} is not signed by any published key (it names key {seal.KeyId}).");
            if (previous is not null && (seal.Number != previous.Number + 1 || seal.TreeSize < previous.TreeSize))
                return new IntegrityViolation(ViolationKind.BadSeal, seal.Number, null, null, null, null,
                    $"Seal {seal.Number} does not follow seal {previous.Number} (tree size {seal.TreeSize} after {previous.TreeSize}).");
            previous = seal;
        }

        return null;
    }

    /// <summary>Builds the tree up to seal <c>FromSeal</c> from the leaf records and returns that seal's last position, or null when they do not reach it or do not match it.</summary>
    private static long? StartAfter(LedgerCheckRequest request, ReferenceReader reference, MerkleFrontier frontier)
    {
        var seal = request.Seals.FirstOrDefault(s => s.Number == request.FromSeal);
        if (seal is null || request.Reference is null || request.Reference.Count < seal.TreeSize)
            return null;
        for (long i = 0; i < seal.TreeSize; i++)
        {
            reference.TryGet(i, out _, out var hash);
            frontier.Append(hash);
        }

        return frontier.Root().AsSpan().SequenceEqual(seal.Root()) ? seal.LastPosition : null;
    }

    /// <summary>The tree being rebuilt, leaf by leaf, and the seals it is compared with as it reaches their sizes.</summary>
    private sealed class Walk(IReadOnlyList<LedgerSeal> seals, ReferenceReader reference, ILeafLog? extend, MerkleFrontier frontier, long index, long? lastPosition)
    {
        private int _next = seals.TakeWhile(s => s.TreeSize <= index).Count();
        private long _previousSealSize = index;
        private Difference? _firstDifference;

        public long Index { get; private set; } = index;

        public long? LastPosition { get; private set; } = lastPosition;

        public int SealsChecked { get; private set; }

        public long? ReferenceMismatch { get; private set; }

        /// <summary>Adds the leaf at <paramref name="position"/>, its canonical form and its hash.</summary>
        public IntegrityViolation? Add(long position, ReadOnlySpan<byte> leafBytes, ReadOnlySpan<byte> hash)
        {
            if (reference.TryGet(Index, out var sealedPosition, out var sealedHash))
            {
                if (_firstDifference is null && (sealedPosition != position || !hash.SequenceEqual(sealedHash)))
                    _firstDifference = new Difference(Index, LedgerLeaf.Describe(leafBytes), sealedPosition);
            }
            else
            {
                extend?.Append(position, hash);
            }

            frontier.Append(hash);
            Index++;
            LastPosition = position;
            for (; _next < seals.Count && seals[_next].TreeSize == Index; _next++)
            {
                var seal = seals[_next];
                if (!frontier.Root().AsSpan().SequenceEqual(seal.Root()))
                    return Locate(seal, _previousSealSize, _firstDifference);
                SealsChecked++;
                _previousSealSize = Index;

                // A difference before a seal that holds is in the records, not in the ledger.
                if (_firstDifference is not null)
                {
                    ReferenceMismatch ??= _firstDifference.Index;
                    _firstDifference = null;
                }
            }

            return null;
        }

        public IntegrityViolation Shorter()
        {
            var seal = seals[_next];
            if (_firstDifference is not null)
                return Locate(seal, _previousSealSize, _firstDifference);
            long? sealedPosition = reference.TryGet(Index, out var position, out _) ? position : null;
            return new IntegrityViolation(ViolationKind.Missing, seal.Number, Index, sealedPosition, null, null, string.Create(CultureInfo.InvariantCulture,
                $"The ledger ends after {Index} leaves but seal {seal.Number} covers {seal.TreeSize}: the event sealed at position {(sealedPosition?.ToString(CultureInfo.InvariantCulture) ?? "?")} (leaf {Index}) and those after it are missing."));
        }

        private static IntegrityViolation Locate(LedgerSeal seal, long previousSealSize, Difference? difference)
        {
            if (difference is null)
            {
                return new IntegrityViolation(ViolationKind.RootMismatch, seal.Number, null, null, null, null, string.Create(CultureInfo.InvariantCulture,
                    $"The ledger does not match seal {seal.Number}: an event among leaves {previousSealSize}–{seal.TreeSize - 1} (up to position {seal.LastPosition}) differs from what was sealed."));
            }

            var found = difference.Found;
            var at = $"position {found.Position} ({found.StreamId} revision {found.Revision})";
            if (found.Position > difference.SealedPosition)
            {
                return new IntegrityViolation(ViolationKind.Missing, seal.Number, difference.Index, difference.SealedPosition, found.StreamId, found.Revision,
                    string.Create(CultureInfo.InvariantCulture,
                        $"The event sealed at position {difference.SealedPosition} (leaf {difference.Index}, seal {seal.Number}) is missing from the ledger; {at} is in its place."));
            }

            if (found.Position < difference.SealedPosition)
            {
                return new IntegrityViolation(ViolationKind.Inserted, seal.Number, difference.Index, found.Position, found.StreamId, found.Revision,
                    string.Create(CultureInfo.InvariantCulture,
                        $"The event at {at} was not sealed: it sits among sealed events (leaf {difference.Index}, seal {seal.Number}, where position {difference.SealedPosition} was sealed)."));
            }

            return new IntegrityViolation(ViolationKind.Changed, seal.Number, difference.Index, found.Position, found.StreamId, found.Revision,
                string.Create(CultureInfo.InvariantCulture,
                    $"The event at {at} does not match seal {seal.Number}: its bytes differ from what was sealed (leaf {difference.Index})."));
        }
    }

    private sealed record Difference(long Index, (long Position, string StreamId, long Revision) Found, long SealedPosition);

    /// <summary>Reads the leaf records in chunks, forwards.</summary>
    private sealed class ReferenceReader(ILeafHashes? leaves)
    {
        private readonly long[] _positions = new long[ReferenceChunk];
        private readonly byte[] _hashes = new byte[ReferenceChunk * MerkleHash.Size];
        private long _start = -1;
        private int _count;

        public bool TryGet(long index, out long position, out ReadOnlySpan<byte> hash)
        {
            position = 0;
            hash = default;
            if (leaves is null || index >= leaves.Count)
                return false;
            if (index < _start || index >= _start + _count)
            {
                _start = index;
                _count = (int)Math.Min(ReferenceChunk, leaves.Count - index);
                leaves.Read(index, _positions.AsSpan(0, _count), _hashes.AsSpan(0, _count * MerkleHash.Size));
            }

            var offset = (int)(index - _start);
            position = _positions[offset];
            hash = _hashes.AsSpan(offset * MerkleHash.Size, MerkleHash.Size);
            return true;
        }
    }
}
