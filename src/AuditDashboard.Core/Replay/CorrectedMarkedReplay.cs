namespace AuditDashboard.Core.Replay;

/// <summary>
/// The "as corrected" view of an account too long to hold in memory. That view orders the events by the time they take
/// effect: every event keeps its recorded place except the corrections that take effect at another time (a few, found
/// through the event index), which move there. So the view is the recorded one cut into runs around the moved
/// corrections, and the state at a position is the recorded state of its event (read a block at a time through
/// <see cref="MarkedReplay"/>) with the moved corrections' money shifted: a correction changes the balance and nothing
/// else, and only once the account is open in its currency, so moving it changes the balance between its two places
/// and nothing more. Answers what <see cref="AccountReplay"/> answers from the whole timeline, without reading it.
/// </summary>
public sealed class CorrectedMarkedReplay : IReplaySource
{
    // In the view's order, each with its position.
    private readonly Moved[] _moved;

    // The moved corrections' revisions, ascending, and the money each prefix of them added where they were recorded.
    private readonly long[] _movedRevisions;
    private readonly decimal[] _recordedShift;

    // The money each prefix of _moved adds where the corrections take effect.
    private readonly decimal[] _correctedShift;

    // The view, in order: runs of recorded revisions and moved corrections; and the runs alone (ascending revisions too).
    private readonly Segment[] _segments;
    private readonly Segment[] _runs;
    private readonly AccountState _initial;
    private BalanceSamples? _balance;

    private CorrectedMarkedReplay(MarkedReplay recorded, Moved[] moved)
    {
        Recorded = recorded;
        _initial = AccountState.Initial(recorded.AccountId);
        _moved = moved;
        _correctedShift = new decimal[moved.Length + 1];
        for (var j = 0; j < moved.Length; j++)
            _correctedShift[j + 1] = _correctedShift[j] + moved[j].CorrectedChange;

        var byRevision = moved.OrderBy(m => m.Revision).ToArray();
        _movedRevisions = [.. byRevision.Select(m => m.Revision)];
        _recordedShift = new decimal[moved.Length + 1];
        for (var i = 0; i < byRevision.Length; i++)
            _recordedShift[i + 1] = _recordedShift[i] + byRevision[i].RecordedChange;

        _segments = Cut(recorded.Count, moved, _movedRevisions);
        _runs = [.. _segments.Where(s => s.Moved < 0)];
    }

    /// <summary>The recorded view of the same account, which this one reads through.</summary>
    public MarkedReplay Recorded { get; }

    public string AccountId => Recorded.AccountId;

    public ReplayView View => ReplayView.Corrected;

    public int Count => Recorded.Count;

    public long? LastRevision => Recorded.LastRevision;

    /// <summary>
    /// The corrected view of <paramref name="recorded"/>'s account, as long as it is. Reads the account's corrections and,
    /// for each that moves, where it lands; needs the account directory caught up (its event index finds the corrections).
    /// </summary>
    public static async Task<CorrectedMarkedReplay> OpenAsync(AccountHistory history, MarkedReplay recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(recorded);
        var accountId = recorded.AccountId;
        var latest = recorded.Latest;
        var last = latest.Revision;
        var opening = await history.OpeningRevisionAsync(accountId, latest.StateAfter, cancellationToken);

        // What a correction does to an account open in its currency: the same wherever it lands, or nothing at all.
        var open = AccountState.Initial(accountId) with { Status = AccountStatus.Open, Currency = latest.StateAfter.Currency };
        var moved = new List<Moved>();
        foreach (var record in await history.ReadCorrectionsAsync(accountId, last, cancellationToken))
        {
            var entry = TimelineEntry.Next(AccountState.Initial(accountId), record);
            if (!entry.IsCorrection || entry.EffectiveAt == entry.Recorded)
                continue;
            var change = AccountFold.Evolve(open, entry.Event!).Balance - open.Balance;
            var after = await history.LandingOfAsync(accountId, entry.Revision, entry.EffectiveAt, last, cancellationToken);
            moved.Add(new Moved(entry.Revision, entry.EffectiveAt, after, opening < entry.Revision ? change : 0m, opening <= after ? change : 0m));
        }

        // Stable by time, as the whole timeline is ordered: equal times keep revision order.
        return new CorrectedMarkedReplay(recorded, [.. moved.OrderBy(m => m.EffectiveAt).ThenBy(m => m.Revision)]);
    }

    /// <summary>A long account's replay in <paramref name="view"/>: <paramref name="recorded"/> itself, or the corrected one read through it.</summary>
    public static async Task<IReplaySource> InViewAsync(AccountHistory history, MarkedReplay recorded, ReplayView view, CancellationToken cancellationToken = default) =>
        view == ReplayView.Corrected ? await OpenAsync(history, recorded, cancellationToken) : recorded;

    /// <summary>The same account with <paramref name="latest"/> as its last event: its corrections are read again.</summary>
    public Task<CorrectedMarkedReplay> ExtendAsync(AccountHistory history, TimelineEntry latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latest);
        return latest.Revision == Recorded.Latest.Revision ? Task.FromResult(this) : OpenAsync(history, Recorded.Extend(latest), cancellationToken);
    }

    public long RevisionAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var segment = SegmentAt(index);
        return segment.Moved >= 0 ? _moved[segment.Moved].Revision : segment.Revision + (index - segment.Start);
    }

    public int? IndexOfRevision(long revision)
    {
        if (Array.BinarySearch(_movedRevisions, revision) >= 0)
            return _moved.First(m => m.Revision == revision).Position;

        // The last run starting at or before the revision holds it, if any does.
        int lo = 0, hi = _runs.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_runs[mid].Revision <= revision)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && revision < _runs[found].Revision + _runs[found].Length ? _runs[found].Start + (int)(revision - _runs[found].Revision) : null;
    }

    public async ValueTask<ReplayPoint> AtAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index < 0)
            return new ReplayPoint(-1, _initial, null);

        var segment = SegmentAt(index);
        if (segment.Moved < 0)
        {
            // An event in its recorded place: the moved corrections before it here replace those recorded before it.
            var revision = segment.Revision + (index - segment.Start);
            var entry = (await Recorded.AtAsync((int)revision, cancellationToken)).Entry!;
            var balance = entry.StateAfter.Balance - RecordedShiftThrough(revision) + _correctedShift[segment.MovedBefore];
            return new ReplayPoint(index, entry.StateAfter with { Balance = balance, LastChangedAt = entry.EffectiveAt, EventCount = index + 1 }, entry);
        }

        // A moved correction: the state where it lands (after the recorded event it follows), then its own money.
        var moved = _moved[segment.Moved];
        var before = moved.After >= 0 ? (await Recorded.AtAsync((int)moved.After, cancellationToken)).State : _initial;
        var correction = (await Recorded.AtAsync((int)moved.Revision, cancellationToken)).Entry!;
        var state = before with
        {
            Balance = before.Balance - RecordedShiftThrough(moved.After) + _correctedShift[segment.Moved + 1],
            Revision = moved.Revision,
            LastChangedAt = moved.EffectiveAt,
            EventCount = index + 1,
        };
        return new ReplayPoint(index, state, correction);
    }

    public async ValueTask<int> IndexAtTimeAsync(DateTimeOffset moment, CancellationToken cancellationToken = default)
    {
        // Every event recorded by then that stays in place, and every moved correction taking effect by then.
        var lastRecorded = await Recorded.IndexAtTimeAsync(moment, cancellationToken);
        var staying = lastRecorded + 1 - MovedThrough(lastRecorded);
        var moving = 0;
        while (moving < _moved.Length && _moved[moving].EffectiveAt <= moment)
            moving++;
        return staying + moving - 1;
    }

    public ValueTask<IReadOnlyList<TimelineEntry>> BetweenAsync(int fromIndex, int toIndex, int limit, CancellationToken cancellationToken = default) =>
        IReplaySource.ReadBetweenAsync(this, fromIndex, toIndex, limit, cancellationToken);

    /// <summary>
    /// The balance at the first position, at each of the account's marks that stays in place and at the last position;
    /// for an account of at most two blocks, at every position.
    /// </summary>
    public async ValueTask<BalanceSamples> BalanceAsync(CancellationToken cancellationToken = default)
    {
        if (_balance is { } drawn)
            return drawn;
        var samples = new BalanceSamples.Builder();
        async Task AddAsync(int position)
        {
            var point = await AtAsync(position, cancellationToken);
            samples.Add(position, point.State.Balance, point.Entry!.EffectiveAt);
        }

        if (Count <= 2 * Recorded.BlockSize)
        {
            for (var i = 0; i < Count; i++)
                await AddAsync(i);
            return _balance = samples.Build(Count, Recorded.Latest.StateAfter.Currency);
        }

        await AddAsync(0);
        foreach (var mark in await Recorded.MarksAsync(cancellationToken))
        {
            // A mark is the recorded state after its event: shifted like that event's state, where the event stays.
            if (mark is not { Revision: { } revision, LastChangedAt: { } at } || revision >= Recorded.Latest.Revision || IndexOfRevision(revision) is not { } position)
                continue;
            if (position <= samples.LastPosition || SegmentAt(position).Moved >= 0)
                continue;
            samples.Add(position, mark.Balance - RecordedShiftThrough(revision) + _correctedShift[SegmentAt(position).MovedBefore], at);
        }

        await AddAsync(Count - 1);
        return _balance = samples.Build(Count, Recorded.Latest.StateAfter.Currency);
    }

    // The view in order: recorded revisions in runs, cut where a correction moved away and where one lands.
    private static Segment[] Cut(int count, Moved[] moved, long[] movedRevisions)
    {
        var segments = new List<Segment>((2 * moved.Length) + 1);
        var position = 0;
        long next = 0;
        var skipped = 0;
        void RunsThrough(long last, int movedBefore)
        {
            while (next <= last)
            {
                while (skipped < movedRevisions.Length && movedRevisions[skipped] < next)
                    skipped++;
                if (skipped < movedRevisions.Length && movedRevisions[skipped] == next)
                {
                    next++;
                    continue;
                }

                var end = skipped < movedRevisions.Length ? Math.Min(last, movedRevisions[skipped] - 1) : last;
                var length = (int)(end - next + 1);
                segments.Add(new Segment(position, next, length, -1, movedBefore));
                position += length;
                next = end + 1;
            }
        }

        for (var j = 0; j < moved.Length; j++)
        {
            RunsThrough(moved[j].After, j);
            moved[j] = moved[j] with { Position = position };
            segments.Add(new Segment(position, moved[j].Revision, 1, j, j));
            position++;
        }

        RunsThrough(count - 1, moved.Length);
        return [.. segments];
    }

    private Segment SegmentAt(int index)
    {
        int lo = 0, hi = _segments.Length - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (_segments[mid].Start <= index)
                lo = mid;
            else
                hi = mid - 1;
        }

        return _segments[lo];
    }

    // How many corrections recorded at or before the revision moved away.
    private int MovedThrough(long revision)
    {
        var i = Array.BinarySearch(_movedRevisions, revision);
        return i >= 0 ? i + 1 : ~i;
    }

    // The money the moved corrections recorded at or before the revision added there.
    private decimal RecordedShiftThrough(long revision) => _recordedShift[MovedThrough(revision)];

    /// <param name="After">The recorded revision it follows in this view; -1: before the first event.</param>
    /// <param name="RecordedChange">What it did to the balance where it was recorded.</param>
    /// <param name="CorrectedChange">What it does to the balance where it takes effect.</param>
    private sealed record Moved(long Revision, DateTimeOffset EffectiveAt, long After, decimal RecordedChange, decimal CorrectedChange)
    {
        public int Position { get; init; }
    }

    /// <param name="Start">Its first position.</param>
    /// <param name="Revision">Its first revision.</param>
    /// <param name="Moved">The moved correction it is (an index of _moved), or -1 for a run of recorded revisions.</param>
    /// <param name="MovedBefore">How many moved corrections come before it.</param>
    private readonly record struct Segment(int Start, long Revision, int Length, int Moved, int MovedBefore);
}
