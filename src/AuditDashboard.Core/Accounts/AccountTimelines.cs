using System.Collections.Concurrent;
using AuditDashboard.EventStore;

namespace AuditDashboard.Accounts;

/// <summary>
/// The shared cache of loaded timelines: one per account however many people view it, extended by the ledger feed.
/// Keeps the most recently used <see cref="Capacity"/> accounts.
/// </summary>
public sealed class AccountTimelines
{
    private readonly IEventStore _store;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private long _clock;

    public AccountTimelines(IEventStore store, int capacity = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _store = store;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// The account's timeline, caught up with the store; null when the id is malformed or the account has no events.
    /// </summary>
    public async Task<AccountTimeline?> GetAsync(string? accountId, CancellationToken cancellationToken = default)
    {
        if (!AccountIds.IsValid(accountId))
            return null;

        var slot = _slots.GetOrAdd(accountId, id => new Slot(new AccountTimeline(_store, id)));
        slot.LastUsed = Interlocked.Increment(ref _clock);
        await slot.Timeline.CatchUpAsync(cancellationToken);
        if (!slot.Timeline.Snapshot.Exists)
        {
            _slots.TryRemove(new KeyValuePair<string, Slot>(accountId, slot));
            return null;
        }

        Evict();
        return slot.Timeline;
    }

    /// <summary>Tells a cached timeline that its stream grew; uncached accounts load fresh when next asked for.</summary>
    public async Task NotifyAppendedAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (_slots.TryGetValue(accountId, out var slot))
            await slot.Timeline.CatchUpAsync(cancellationToken);
    }

    private void Evict()
    {
        var excess = _slots.Count - Capacity;
        if (excess <= 0)
            return;

        foreach (var stale in _slots.OrderBy(p => p.Value.LastUsed).Take(excess).ToList())
            _slots.TryRemove(stale);
    }

    private sealed class Slot(AccountTimeline timeline)
    {
        public AccountTimeline Timeline { get; } = timeline;

        public long LastUsed { get; set; }
    }
}
