using System.Runtime.CompilerServices;

namespace AuditDashboard.Core.Replay;

/// <summary>
/// Answers "the state at revision k" and "the state at time t" from a timeline already folded in memory: an index or
/// a binary search, never a read of the store. Built per snapshot and view; cheap for the recorded view, which reuses
/// the state kept after every entry.
/// </summary>
public sealed class AccountReplay : IReplaySource
{
    private static readonly ConditionalWeakTable<TimelineSnapshot, AccountReplay> CorrectedReplays = new();

    private readonly IReadOnlyList<TimelineEntry> _entries;
    private readonly AccountState[]? _states;
    private readonly AccountState _initial;
    private BalanceSamples? _balance;

    private AccountReplay(string accountId, ReplayView view, IReadOnlyList<TimelineEntry> entries, AccountState[]? states)
    {
        AccountId = accountId;
        View = view;
        _entries = entries;
        _states = states;
        _initial = AccountState.Initial(accountId);
        LastRevision = entries.Count == 0 ? null : states is null ? entries[^1].Revision : entries.Max(e => e.Revision);
    }

    public string AccountId { get; }

    public ReplayView View { get; }

    /// <summary>How many positions the replay has after "before the account existed".</summary>
    public int Count => _entries.Count;

    /// <summary>The account's last stream revision, whatever the view's order; null when it has no events.</summary>
    public long? LastRevision { get; }

    /// <summary>The last position.</summary>
    public ReplayPoint Latest => At(Count - 1);

    public static AccountReplay Of(string accountId, IReadOnlyList<TimelineEntry> timeline, ReplayView view)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (view == ReplayView.Recorded)
            return new AccountReplay(accountId, view, timeline, states: null);

        // A shared snapshot's corrected replay is built once, for every viewer and request that asks for it.
        return timeline is TimelineSnapshot snapshot
            ? CorrectedReplays.GetValue(snapshot, s => Corrected(accountId, s))
            : Corrected(accountId, timeline);
    }

    private static AccountReplay Corrected(string accountId, IReadOnlyList<TimelineEntry> timeline)
    {
        var view = ReplayView.Corrected;
        if (timeline.All(e => e.EffectiveAt == e.Recorded))
            return new AccountReplay(accountId, view, timeline, states: null);

        // Corrections moved some events in time: refold in effective order (stable, so equal times keep revision order).
        var ordered = timeline.OrderBy(e => e.EffectiveAt).ToArray();
        var states = new AccountState[ordered.Length];
        var state = AccountState.Initial(accountId);
        for (var i = 0; i < ordered.Length; i++)
        {
            var entry = ordered[i];
            // Evolve ignores what does not fit, so an event that was inconsistent in recorded order may fit here.
            if (entry.Event is { } e)
                state = AccountFold.EvolveAt(state, e, entry.EffectiveAt);

            state = state with { Revision = entry.Revision, LastChangedAt = entry.EffectiveAt, EventCount = i + 1 };
            states[i] = state;
        }

        return new AccountReplay(accountId, view, ordered, states);
    }

    /// <summary>The position at <paramref name="index"/> (-1: before the account existed).</summary>
    public ReplayPoint At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index < 0
            ? new ReplayPoint(-1, _initial, null)
            : new ReplayPoint(index, _states?[index] ?? _entries[index].StateAfter, _entries[index]);
    }

    public long RevisionAt(int index) => _entries[index].Revision;

    public ValueTask<ReplayPoint> AtAsync(int index, CancellationToken cancellationToken = default) => ValueTask.FromResult(At(index));

    public ValueTask<int> IndexAtTimeAsync(DateTimeOffset moment, CancellationToken cancellationToken = default) => ValueTask.FromResult(IndexAtTime(moment));

    public ValueTask<IReadOnlyList<TimelineEntry>> BetweenAsync(int fromIndex, int toIndex, int limit, CancellationToken cancellationToken = default)
    {
        var between = Between(fromIndex, toIndex);
        return ValueTask.FromResult<IReadOnlyList<TimelineEntry>>(between.Count <= limit ? between : [.. between.Take(limit)]);
    }

    /// <summary>Every position's balance: the replay holds them all anyway.</summary>
    public ValueTask<BalanceSamples> BalanceAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_balance ??= Sample());

    private BalanceSamples Sample()
    {
        if (Count == 0)
            return BalanceSamples.Empty;
        var positions = new int[Count];
        var balances = new decimal[Count];
        var times = new DateTimeOffset[Count];
        for (var i = 0; i < Count; i++)
        {
            positions[i] = i;
            balances[i] = At(i).State.Balance;
            times[i] = TimeAt(i);
        }

        return new BalanceSamples(Count, positions, balances, times, Latest.State.Currency, TimeAt(0));
    }

    /// <summary>The entry at a position of the view.</summary>
    public TimelineEntry EntryAt(int index) => _entries[index];

    /// <summary>The time of a position in this view: recorded time, or effective time in the corrected view.</summary>
    public DateTimeOffset TimeAt(int index) => View == ReplayView.Recorded ? _entries[index].Recorded : _entries[index].EffectiveAt;

    /// <summary>The position of the event at stream revision <paramref name="revision"/>, or null when there is none.</summary>
    public int? IndexOfRevision(long revision)
    {
        if (_states is null)
        {
            // Recorded order is revision order.
            var index = TimelineSearch.IndexOfRevision(_entries, revision);
            return index < 0 ? null : index;
        }

        for (var i = 0; i < Count; i++)
        {
            if (_entries[i].Revision == revision)
                return i;
        }

        return null;
    }

    /// <summary>
    /// The state after the last event at or before <paramref name="moment"/>; before the first event, the state before
    /// the account existed.
    /// </summary>
    public ReplayPoint AtTime(DateTimeOffset moment) => At(IndexAtTime(moment));

    /// <summary>The index of the last event at or before <paramref name="moment"/>, or -1.</summary>
    public int IndexAtTime(DateTimeOffset moment)
    {
        int lo = 0, hi = Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (TimeAt(mid) <= moment)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>The entries after position <paramref name="fromIndex"/> up to and including <paramref name="toIndex"/>.</summary>
    public IReadOnlyList<TimelineEntry> Between(int fromIndex, int toIndex)
    {
        var (lo, hi) = fromIndex <= toIndex ? (fromIndex, toIndex) : (toIndex, fromIndex);
        lo = Math.Max(lo, -1);
        hi = Math.Min(hi, Count - 1);
        var list = new List<TimelineEntry>(Math.Max(0, hi - lo));
        for (var i = lo + 1; i <= hi; i++)
            list.Add(_entries[i]);
        return list;
    }
}
