using AuditDashboard.Core.Corrections;
using AuditDashboard.Core.Live;


namespace AuditDashboard.Core.Accounts;

/// <summary>
/// An account's whole history, folded once and kept with the state after every event; shared by every viewer of
/// the account and extended as events arrive, never refolded. Readers take a <see cref="Snapshot"/>, which never changes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never used holds no unmanaged resource; timelines are dropped by the cache, not disposed.")]
public sealed class AccountTimeline
{
    private readonly IEventStore _store;
    private readonly SemaphoreSlim _catchUpLock = new(1, 1);
    private TimelineEntry[] _items = [];
    private readonly CorrectionIndex _links = new();
    private readonly ChangeSubscribers _viewers = new();
    private volatile TimelineSnapshot _snapshot;

    /// <summary>
    /// What a folded event costs in memory beyond its stored data and metadata: the record, the decoded event and
    /// metadata, the state after it (measured: about 1,190 bytes an event where data and metadata take 210).
    /// </summary>
    public const int EntryOverheadBytes = 1_000;

    /// <summary>Every how many events a long read publishes what it has and reports its progress.</summary>
    public const int ProgressEvery = 4096;

    private long _estimatedBytes;

    // The folding cursor, touched only under the lock: how many entries are written, and the state after the last.
    private int _count;
    private AccountState? _state;

    public AccountTimeline(IEventStore store, string accountId)
    {
        _store = store;
        AccountId = accountId;
        StreamId = AccountIds.StreamOf(accountId);
        _snapshot = new TimelineSnapshot(_items, 0, AccountState.Initial(accountId), _links);
    }

    public string AccountId { get; }

    public string StreamId { get; }

    /// <summary>The history as of now: safe to read from any thread while the timeline grows.</summary>
    public TimelineSnapshot Snapshot => _snapshot;

    /// <summary>About how much memory the folded history holds (see <see cref="EntryOverheadBytes"/>).</summary>
    public long EstimatedBytes => Interlocked.Read(ref _estimatedBytes);

    /// <summary>True while some page listens for new events: such a timeline must stay where the feed can extend it.</summary>
    public bool HasViewers => _viewers.Any;

    /// <summary>Calls <paramref name="onChange"/> after new events were added (read <see cref="Snapshot"/> then), until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange) => _viewers.Subscribe(onChange);

    /// <summary>Reads and folds whatever the store holds beyond what this timeline has; returns how many events were added.</summary>
    public Task<int> CatchUpAsync(CancellationToken cancellationToken = default) => CatchUpAsync(progress: null, cancellationToken);

    /// <summary>
    /// Reads and folds whatever the store holds beyond what this timeline has, telling <paramref name="progress"/> how
    /// many events the timeline holds every few thousand events; returns how many events were added.
    /// </summary>
    public async Task<int> CatchUpAsync(IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        await _catchUpLock.WaitAsync(cancellationToken);
        TimelineSnapshot before, after;
        try
        {
            before = _snapshot;
            var from = before.Current.Revision is { } last ? last + 1 : StreamRevision.Start;
            await foreach (var record in _store.ReadStreamAsync(StreamId, Direction.Forwards, from, long.MaxValue, cancellationToken))
            {
                // Publish now and then, so a very long first read shows progress to other readers.
                if (Add(record) % ProgressEvery == 0)
                {
                    Publish();
                    progress?.Report(_count);
                }
            }

            after = Publish();
        }
        finally
        {
            _catchUpLock.Release();
        }

        return Announce(before, after);
    }

    /// <summary>
    /// Folds an event the caller already holds (the ledger feed's) without reading the store, when it is the next one;
    /// anything else (a gap, or an event from before this timeline was loaded) falls back to <see cref="CatchUpAsync"/>.
    /// </summary>
    public async Task ExtendAsync(RecordedEvent record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _catchUpLock.WaitAsync(cancellationToken);
        TimelineSnapshot before, after;
        try
        {
            before = _snapshot;
            var next = before.Current.Revision is { } last ? last + 1 : StreamRevision.Start;
            if (record.Revision < next)
                return;
            if (record.Revision > next)
            {
                after = before;
            }
            else
            {
                Add(record);
                after = Publish();
            }
        }
        finally
        {
            _catchUpLock.Release();
        }

        if (ReferenceEquals(before, after))
            await CatchUpAsync(cancellationToken);
        else
            Announce(before, after);
    }

    // Called under the lock. Slots below a published count are never written again, so snapshots stay immutable.
    private int Add(RecordedEvent record)
    {
        var entry = TimelineEntry.Next(_state ?? _snapshot.Current, record);
        if (_count == _items.Length)
            Array.Resize(ref _items, Math.Max(16, _items.Length * 2));
        _items[_count++] = entry;
        _links.Add(entry);
        Interlocked.Add(ref _estimatedBytes, EntryOverheadBytes + record.Data.Length + record.Metadata.Length);
        _state = entry.StateAfter;
        return _count;
    }

    private TimelineSnapshot Publish()
    {
        if (_count != _snapshot.Count)
            _snapshot = new TimelineSnapshot(_items, _count, _state!, _links);
        return _snapshot;
    }

    // Raised outside the lock with the snapshot published under it, so listeners never see one out of order from here.
    private int Announce(TimelineSnapshot before, TimelineSnapshot after)
    {
        var added = after.Count - before.Count;
        if (added > 0)
            _viewers.Notify();
        return added;
    }
}
