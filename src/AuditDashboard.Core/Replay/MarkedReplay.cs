namespace AuditDashboard.Core.Replay;

/// <summary>
/// The recorded view of an account too long to hold in memory: each position is read when asked, a block of events at
/// a time from the nearest mark (see <see cref="AccountHistory"/>), and the last few blocks are kept, so stepping
/// through neighbouring positions reads nothing. Position k is stream revision k. Built for one length of the account;
/// a longer account gets a new one (<see cref="Extend"/>), which keeps the blocks read so far.
/// </summary>
public sealed class MarkedReplay : IReplaySource
{
    /// <summary>How many blocks one replay keeps.</summary>
    public const int KeptBlocks = 3;

    private readonly AccountHistory _history;
    private readonly int _blockSize;
    private readonly AccountState _initial;
    private readonly BlockCache _blocks;
    private BalanceSamples? _balance;

    /// <param name="latest">The account's last event with the state after it.</param>
    /// <param name="blockSize">How many events one read folds; the account directory's mark interval reads the fewest.</param>
    public MarkedReplay(AccountHistory history, TimelineEntry latest, int blockSize)
        : this(history, latest, blockSize, new BlockCache())
    {
    }

    private MarkedReplay(AccountHistory history, TimelineEntry latest, int blockSize, BlockCache blocks)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(latest.Revision, int.MaxValue);
        _history = history;
        _blockSize = blockSize;
        _blocks = blocks;
        Latest = latest;
        AccountId = latest.StateAfter.AccountId;
        _initial = AccountState.Initial(AccountId);
    }

    public string AccountId { get; }

    public ReplayView View => ReplayView.Recorded;

    /// <summary>The account's last event, with the state after it.</summary>
    public TimelineEntry Latest { get; }

    public int Count => (int)Latest.Revision + 1;

    /// <summary>How many events one read folds.</summary>
    public int BlockSize => _blockSize;

    public long? LastRevision => Latest.Revision;

    /// <summary>The same account with <paramref name="latest"/> as its last event, keeping the blocks read so far.</summary>
    public MarkedReplay Extend(TimelineEntry latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        if (latest.StateAfter.AccountId != AccountId)
            throw new ArgumentException($"An entry of {latest.StateAfter.AccountId} cannot extend the replay of {AccountId}.", nameof(latest));
        return latest.Revision == Latest.Revision ? this : new MarkedReplay(_history, latest, _blockSize, _blocks);
    }

    public long RevisionAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }

    public int? IndexOfRevision(long revision) => revision >= 0 && revision < Count ? (int)revision : null;

    public async ValueTask<ReplayPoint> AtAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index < 0)
            return new ReplayPoint(-1, _initial, null);
        if (index == Count - 1)
            return new ReplayPoint(index, Latest.StateAfter, Latest);
        var entry = await EntryAsync(index, cancellationToken);
        return new ReplayPoint(index, entry.StateAfter, entry);
    }

    public async ValueTask<int> IndexAtTimeAsync(DateTimeOffset moment, CancellationToken cancellationToken = default)
    {
        if (moment >= Latest.Recorded)
            return Count - 1;
        return await _history.AtTimeAsync(AccountId, moment, cancellationToken) is { } entry ? (int)Math.Min(entry.Revision, Count - 1) : -1;
    }

    // Through the blocks: what the page shows beside them (its position, the latest events) is read once for all.
    public ValueTask<IReadOnlyList<TimelineEntry>> BetweenAsync(int fromIndex, int toIndex, int limit, CancellationToken cancellationToken = default) =>
        IReplaySource.ReadBetweenAsync(this, fromIndex, toIndex, limit, cancellationToken);

    /// <summary>
    /// The balance at the first event, at each of the account's marks and at its last event; for an account of at most
    /// two blocks (too few marks to draw), at every event, read through the blocks.
    /// </summary>
    public async ValueTask<BalanceSamples> BalanceAsync(CancellationToken cancellationToken = default)
    {
        if (_balance is { } drawn)
            return drawn;
        var samples = new BalanceSamples.Builder();
        if (Count <= 2 * _blockSize)
        {
            var all = await BetweenAsync(-1, Count - 1, Count, cancellationToken);
            for (var i = 0; i < all.Count; i++)
                samples.Add(i, all[i].StateAfter.Balance, all[i].Recorded);
            return _balance = samples.Build(Count, Latest.StateAfter.Currency);
        }

        // The first event alone, not its whole block: the chart's left edge.
        var first = (await _history.ReadAsync(AccountId, 0, 1, cancellationToken))[0];
        samples.Add(0, first.StateAfter.Balance, first.Recorded);
        foreach (var mark in await MarksAsync(cancellationToken))
        {
            // A mark is the state after its event: its last change is that event's recorded time.
            if (mark is { Revision: { } revision, LastChangedAt: { } at } && revision < Latest.Revision && revision > samples.LastPosition)
                samples.Add((int)revision, mark.Balance, at);
        }

        samples.Add(Count - 1, Latest.StateAfter.Balance, Latest.Recorded);
        return _balance = samples.Build(Count, Latest.StateAfter.Currency);
    }

    /// <summary>The account's marks, oldest first: its recorded state every so many events.</summary>
    public Task<IReadOnlyList<AccountState>> MarksAsync(CancellationToken cancellationToken = default) => _history.MarksAsync(AccountId, cancellationToken);

    private async ValueTask<TimelineEntry> EntryAsync(int index, CancellationToken cancellationToken)
    {
        var block = index / _blockSize;
        var offset = index - (block * _blockSize);

        // A block read while the account was shorter may end before the index.
        if (_blocks.Find(block) is not { } entries || offset >= entries.Count)
        {
            entries = await _history.ReadAsync(AccountId, (long)block * _blockSize, _blockSize, cancellationToken);
            _blocks.Keep(block, entries);
        }

        return offset < entries.Count && entries[offset].Revision == index
            ? entries[offset]
            : throw new InvalidOperationException($"Revision {index} of {AccountId} was not read back from the store.");
    }

    // The last few blocks read, newest last; shared by the replays of one page as the account grows.
    private sealed class BlockCache
    {
        private readonly Lock _gate = new();
        private readonly List<(int Block, IReadOnlyList<TimelineEntry> Entries)> _kept = [];

        public IReadOnlyList<TimelineEntry>? Find(int block)
        {
            lock (_gate)
            {
                var i = _kept.FindIndex(k => k.Block == block);
                if (i < 0)
                    return null;
                var found = _kept[i];
                _kept.RemoveAt(i);
                _kept.Add(found);
                return found.Entries;
            }
        }

        public void Keep(int block, IReadOnlyList<TimelineEntry> entries)
        {
            lock (_gate)
            {
                _kept.RemoveAll(k => k.Block == block);
                _kept.Add((block, entries));
                if (_kept.Count > KeptBlocks)
                    _kept.RemoveAt(0);
            }
        }
    }
}
