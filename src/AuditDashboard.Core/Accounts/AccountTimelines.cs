using System.Collections.Concurrent;

namespace AuditDashboard.Core.Accounts;

/// <summary>
/// The shared cache of loaded timelines: one per account however many people view it, extended by the ledger feed.
/// Keeps the most recently used <see cref="Capacity"/> accounts.
/// </summary>
public sealed class AccountTimelines
{
    private readonly IEventStore _store;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>The default memory budget of the cache: 256 MB.</summary>
    public const long DefaultMaxCachedBytes = 256L * 1024 * 1024;

    public AccountTimelines(IEventStore store, int capacity = 32, long maxCachedBytes = DefaultMaxCachedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCachedBytes, 1);
        _store = store;
        Capacity = capacity;
        MaxCachedBytes = maxCachedBytes;
    }

    /// <summary>How many accounts are kept at most (beyond those someone is viewing).</summary>
    public int Capacity { get; }

    /// <summary>
    /// How much memory all kept timelines may hold together, by <see cref="AccountTimeline.EstimatedBytes"/> (beyond
    /// those someone is viewing, which stay).
    /// </summary>
    public long MaxCachedBytes { get; }

    /// <summary>How many accounts are cached now.</summary>
    public int Count => _slots.Count;

    /// <summary>True when the account's timeline is loaded (someone asked for it lately), so answering from it reads little.</summary>
    public bool Holds(string? accountId) => accountId is not null && _slots.ContainsKey(accountId);

    /// <summary>
    /// The account's timeline, caught up with the store; null when the id is malformed or the account has no events.
    /// </summary>
    public Task<AccountTimeline?> GetAsync(string? accountId, CancellationToken cancellationToken = default) =>
        GetAsync(accountId, progress: null, cancellationToken);

    /// <summary>
    /// The account's timeline, caught up with the store, telling <paramref name="progress"/> how many events it holds
    /// every few thousand events of a long read; null when the id is malformed or the account has no events.
    /// </summary>
    public async Task<AccountTimeline?> GetAsync(string? accountId, IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        if (!AccountIds.IsValid(accountId))
            return null;

        var slot = _slots.GetOrAdd(accountId, id => new Slot(new AccountTimeline(_store, id)));
        slot.LastUsed = Interlocked.Increment(ref _clock);
        await slot.Timeline.CatchUpAsync(progress, cancellationToken);
        if (!slot.Timeline.Snapshot.Exists)
        {
            _slots.TryRemove(new KeyValuePair<string, Slot>(accountId, slot));
            return null;
        }

        Evict(keep: slot);
        return slot.Timeline;
    }

    /// <summary>
    /// The account's timeline when it is loaded, caught up with the store; null when it is not (this never loads one).
    /// </summary>
    public async Task<AccountTimeline?> FindLoadedAsync(string? accountId, CancellationToken cancellationToken = default)
    {
        if (accountId is null || !_slots.TryGetValue(accountId, out var slot))
            return null;
        slot.LastUsed = Interlocked.Increment(ref _clock);
        await slot.Timeline.CatchUpAsync(cancellationToken);
        return slot.Timeline.Snapshot.Exists ? slot.Timeline : null;
    }

    /// <summary>Hands a cached timeline the event just appended to its stream; uncached accounts load fresh when next asked for.</summary>
    public async Task ExtendAsync(string accountId, RecordedEvent record, CancellationToken cancellationToken = default)
    {
        if (_slots.TryGetValue(accountId, out var slot))
            await slot.Timeline.ExtendAsync(record, cancellationToken);
    }

    /// <summary>
    /// Drops the least recently used timelines while the cache holds too many accounts or bytes. A timeline someone is
    /// viewing stays (the feed must keep extending it), and so does the one just asked for.
    /// </summary>
    private void Evict(Slot keep)
    {
        var count = _slots.Count;
        var bytes = _slots.Values.Sum(s => s.Timeline.EstimatedBytes);
        if (count <= Capacity && bytes <= MaxCachedBytes)
            return;

        foreach (var stale in _slots.OrderBy(p => p.Value.LastUsed).ToList())
        {
            if (count <= Capacity && bytes <= MaxCachedBytes)
                break;
            if (ReferenceEquals(stale.Value, keep) || stale.Value.Timeline.HasViewers || !_slots.TryRemove(stale))
                continue;
            count--;
            bytes -= stale.Value.Timeline.EstimatedBytes;
        }
    }

    private sealed class Slot(AccountTimeline timeline)
    {
        public AccountTimeline Timeline { get; } = timeline;

        public long LastUsed { get; set; }
    }
}
