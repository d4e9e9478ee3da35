namespace AuditDashboard.Core.Export;

/// <summary>
/// Filters the access log by reading it newest first. The log is one stream without an index of its own, so the work of
/// a search is bounded: it reads at most <see cref="MaxScanned"/> entries (and stops earlier once it is past the
/// filter's start, since entries are recorded in time order and a look is recorded after it happened), and says when it
/// reached the bound.
/// </summary>
public static class AccessLogSearch
{
    public const int MaxScanned = 100_000;

    /// <summary>The <paramref name="take"/> matching entries after the first <paramref name="skip"/>, newest first.</summary>
    public static async Task<AccessLogPage> SearchAsync(IEventStore store, AccessLogFilter filter, long skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.IsEmpty)
        {
            // Nothing to match: the page is read straight from its position in the stream.
            var page = await AccessLog.ReadNewestAsync(store, skip, take, cancellationToken).ToListAsync(cancellationToken);
            return new AccessLogPage(page, await AccessLog.CountAsync(store, cancellationToken), false);
        }

        var items = new List<AccessLogEntry>();
        long matched = 0;
        var scanned = 0;
        await foreach (var entry in AccessLog.ReadNewestAsync(store, 0, MaxScanned, cancellationToken))
        {
            scanned++;
            if (filter.From is { } from && entry.Recorded < from)
                return new AccessLogPage(items, matched, false);
            if (!filter.Matches(entry))
                continue;
            if (matched >= skip && items.Count < take)
                items.Add(entry);
            matched++;
        }

        return new AccessLogPage(items, matched, scanned >= MaxScanned);
    }
}
