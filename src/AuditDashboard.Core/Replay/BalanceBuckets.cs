namespace AuditDashboard.Core.Replay;

/// <summary>
/// A long history cut into at most a few hundred consecutive slices, each with its lowest, highest and last balance: what
/// a chart of the balance draws, so it costs the same for 100 events as for 100,000. Pure: the balances come from
/// <c>balanceAt</c>.
/// </summary>
public sealed class BalanceBuckets
{
    private BalanceBuckets(IReadOnlyList<BalanceBucket> buckets, decimal min, decimal max)
    {
        Buckets = buckets;
        Min = min;
        Max = max;
    }

    /// <summary>The slices in order; together they cover every position once. Empty for an empty history.</summary>
    public IReadOnlyList<BalanceBucket> Buckets { get; }

    /// <summary>The lowest balance of the history (0 when it is empty).</summary>
    public decimal Min { get; }

    /// <summary>The highest balance of the history (0 when it is empty).</summary>
    public decimal Max { get; }

    /// <summary>
    /// Cuts positions 0 to <paramref name="count"/> - 1 into <c>min(count, maxBuckets)</c> slices of (nearly) equal
    /// length, reading each position's balance once.
    /// </summary>
    public static BalanceBuckets Of(int count, Func<int, decimal> balanceAt, int maxBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(balanceAt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 1);
        if (count == 0)
            return new BalanceBuckets([], 0m, 0m);

        var bucketCount = Math.Min(maxBuckets, count);
        var per = (double)count / bucketCount;
        var buckets = new BalanceBucket[bucketCount];
        var min = decimal.MaxValue;
        var max = decimal.MinValue;
        for (var b = 0; b < bucketCount; b++)
        {
            var from = (int)(b * per);

            // The last slice ends at the last position: (b + 1) * per can round to just below the count (1001 / 250 * 250).
            var to = b == bucketCount - 1 ? count - 1 : Math.Max(from, (int)((b + 1) * per) - 1);
            var low = decimal.MaxValue;
            var high = decimal.MinValue;
            var last = 0m;
            for (var i = from; i <= to; i++)
            {
                last = balanceAt(i);
                low = Math.Min(low, last);
                high = Math.Max(high, last);
            }

            buckets[b] = new BalanceBucket(from, to, low, high, last);
            min = Math.Min(min, low);
            max = Math.Max(max, high);
        }

        return new BalanceBuckets(buckets, min, max);
    }
}
