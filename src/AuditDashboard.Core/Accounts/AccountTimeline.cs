using AuditDashboard.EventStore;

namespace AuditDashboard.Accounts;

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
    private volatile TimelineSnapshot _snapshot;

    public AccountTimeline(IEventStore store, string accountId)
    {
        _store = store;
        AccountId = accountId;
        StreamId = AccountIds.StreamOf(accountId);
        _snapshot = new TimelineSnapshot(_items, 0, AccountState.Initial(accountId));
    }

    public string AccountId { get; }

    public string StreamId { get; }

    /// <summary>The history as of now: safe to read from any thread while the timeline grows.</summary>
    public TimelineSnapshot Snapshot => _snapshot;

    /// <summary>Raised after new events were added, on the thread that added them.</summary>
    public event EventHandler<TimelineSnapshot>? Extended;

    /// <summary>True while some page listens for new events: such a timeline must stay where the feed can extend it.</summary>
    public bool HasViewers => Extended is not null;

    /// <summary>Reads and folds whatever the store holds beyond what this timeline has; returns how many events were added.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _catchUpLock.WaitAsync(cancellationToken);
        int added;
        try
        {
            var snapshot = _snapshot;
            var state = snapshot.Current;
            var count = snapshot.Count;
            var from = state.Revision is { } last ? last + 1 : StreamRevision.Start;
            await foreach (var record in _store.ReadStreamAsync(StreamId, Direction.Forwards, from, long.MaxValue, cancellationToken))
            {
                var entry = TimelineEntry.Next(state, record);
                if (count == _items.Length)
                    Array.Resize(ref _items, Math.Max(16, _items.Length * 2));

                // Slots below a published count are never written again, so snapshots stay immutable.
                _items[count++] = entry;
                state = entry.StateAfter;
                if (count % 4096 == 0)
                    _snapshot = new TimelineSnapshot(_items, count, state);
            }

            added = count - snapshot.Count;
            if (added > 0)
                _snapshot = new TimelineSnapshot(_items, count, state);
        }
        finally
        {
            _catchUpLock.Release();
        }

        if (added > 0)
            Extended?.Invoke(this, _snapshot);
        return added;
    }
}
