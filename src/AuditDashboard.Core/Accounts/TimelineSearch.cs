namespace AuditDashboard.Core.Accounts;

/// <summary>Look-ups on timelines in revision order.</summary>
public static class TimelineSearch
{
    /// <summary>The position of the entry at stream revision <paramref name="revision"/>, or -1; a binary search that copes with gaps.</summary>
    public static int IndexOfRevision(IReadOnlyList<TimelineEntry> entries, long revision)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int lo = 0, hi = entries.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var r = entries[mid].Revision;
            if (r == revision)
                return mid;
            if (r < revision)
                lo = mid + 1;
            else
                hi = mid - 1;
        }

        return -1;
    }
}
