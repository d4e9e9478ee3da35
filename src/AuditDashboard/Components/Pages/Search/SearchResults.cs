using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Components.Pages.Search;

/// <summary>
/// The matches of one search, read page after page by continuation as the table scrolls to them (never skipped to by an
/// offset: the store walks its index from the last key it gave), and kept, so scrolling back reads nothing again.
/// </summary>
public sealed class SearchResults(IReadModelStore store, EventQuery query, EventSearchResult first) : IDisposable
{
    /// <summary>How many matches a read after the first fetches.</summary>
    public const int PageSize = 200;

    private readonly List<IndexedEvent> _loaded = [.. first.Items];
    private readonly SemaphoreSlim _reading = new(1, 1);
    private EventKey? _next = first.Continuation;

    /// <summary>How many events match, as counted by the first read (at most the count's cap).</summary>
    public long Total { get; } = first.Total ?? first.Items.Count;

    public bool TotalIsCapped { get; } = first.TotalIsCapped;

    /// <summary>
    /// How many rows the table has: the count, or once the last page is read, the rows read (the count may have been
    /// capped, and events may have been appended since).
    /// </summary>
    public int RowCount => _next is null ? _loaded.Count : (int)Math.Min(Math.Max(Total, _loaded.Count + 1), int.MaxValue);

    /// <summary>The matches from <paramref name="start"/>, at most <paramref name="count"/>, reading the pages before them first.</summary>
    public async Task<IReadOnlyList<IndexedEvent>> ReadAsync(int start, int count, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            while (_loaded.Count < start + count && _next is { } after)
            {
                var page = await store.SearchEventsAsync(query with { After = after, Limit = PageSize, CountTotal = false }, cancellationToken);
                _loaded.AddRange(page.Items);
                _next = page.Continuation;
            }

            return start >= _loaded.Count ? [] : _loaded.GetRange(start, Math.Min(count, _loaded.Count - start));
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();
}
