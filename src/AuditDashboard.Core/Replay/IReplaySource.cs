namespace AuditDashboard.Core.Replay;

/// <summary>
/// The positions of one account's replay in one view: what the replay controls, the compare card and the page ask of
/// it. <see cref="AccountReplay"/> answers from a timeline folded in memory; <see cref="MarkedReplay"/> reads the few
/// events it needs around the account's marks, for an account too long to hold.
/// </summary>
public interface IReplaySource
{
    string AccountId { get; }

    ReplayView View { get; }

    /// <summary>How many positions the replay has after "before the account existed".</summary>
    int Count { get; }

    /// <summary>The account's last stream revision, whatever the view's order; null when it has no events.</summary>
    long? LastRevision { get; }

    /// <summary>The stream revision of the event at a position.</summary>
    long RevisionAt(int index);

    /// <summary>The position of the event at stream revision <paramref name="revision"/>, or null when there is none.</summary>
    int? IndexOfRevision(long revision);

    /// <summary>The position at <paramref name="index"/> (-1: before the account existed).</summary>
    ValueTask<ReplayPoint> AtAsync(int index, CancellationToken cancellationToken = default);

    /// <summary>The index of the last event at or before <paramref name="moment"/> in this view's time, or -1.</summary>
    ValueTask<int> IndexAtTimeAsync(DateTimeOffset moment, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first <paramref name="limit"/> entries after position <paramref name="fromIndex"/> up to and including
    /// <paramref name="toIndex"/> (in either order), in the view's order.
    /// </summary>
    ValueTask<IReadOnlyList<TimelineEntry>> BetweenAsync(int fromIndex, int toIndex, int limit, CancellationToken cancellationToken = default);

    /// <summary>The balance over the replay, sampled for a chart.</summary>
    ValueTask<BalanceSamples> BalanceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="BetweenAsync"/> for a replay read a position at a time: each of the positions through
    /// <see cref="AtAsync"/> (which keeps the blocks it reads, so neighbouring positions read nothing more).
    /// </summary>
    static async ValueTask<IReadOnlyList<TimelineEntry>> ReadBetweenAsync(
        IReplaySource replay, int fromIndex, int toIndex, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (lo, hi) = fromIndex <= toIndex ? (fromIndex, toIndex) : (toIndex, fromIndex);
        lo = Math.Max(lo, -1);
        hi = Math.Min(hi, replay.Count - 1);
        var count = Math.Min(limit, hi - lo);
        var entries = new List<TimelineEntry>(Math.Max(count, 0));
        for (var i = lo + 1; i <= lo + count; i++)
            entries.Add((await replay.AtAsync(i, cancellationToken)).Entry!);
        return entries;
    }
}
