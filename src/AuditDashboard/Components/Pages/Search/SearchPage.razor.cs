using System.Data.Common;
using AuditDashboard.Access;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.AspNetCore.WebUtilities;

namespace AuditDashboard.Components.Pages.Search;

/// <summary>
/// Events across every account, found by the event index: the filters live in the address (the API's query parameters,
/// see <see cref="EventSearchParameters"/>), so a search can be reloaded, bookmarked and shared; Search writes the form
/// into the address and the results follow the address. Rows are read page after page by continuation as the table
/// scrolls. Opened without parameters, the page shows the last <see cref="SearchFilters.DefaultDays"/> days.
/// </summary>
public sealed partial class SearchPage(AccountDirectory directory, NavigationManager navigation, TimeProvider time, AccessRecorder access) : IDisposable
{
    /// <summary>How many matches the first read fetches: a screenful and more, so the table opens full.</summary>
    private const int FirstPageSize = 100;

    private static readonly (string Format, string Label)[] ExportFormats = [("csv", "CSV"), ("ndjson", "NDJSON"), ("pdf", "PDF")];

    private SearchFilters _filters = new();
    private Dictionary<string, string[]> _errors = [];
    private EventQuery? _query;
    private SearchResults? _results;
    private string? _searchError;

    // Bumped for every search, so the table starts over instead of showing rows of the one before.
    private int _version;
    private bool _more;

    // True when the address held no parameter and the page shows its default search.
    private bool _opened;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>Where the user's request came from, for the access log.</summary>
    [CascadingParameter]
    private ClientConnection Connection { get; set; } = ClientConnection.Unknown;

    /// <summary>What a time field takes: a date (its first moment, or for "to" its last) or a date and a time, in the viewer's zone.</summary>
    private const string TimePlaceholder = "yyyy-mm-dd hh:mm";

    private string ZoneHint => $"{Clock.ZoneName} time";

    protected override async Task OnInitializedAsync()
    {
        navigation.LocationChanged += OnLocationChanged;
        await SearchAddressAsync();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (IsSearchAddress(e.Location))
            _ = InvokeAsync(async () =>
            {
                await SearchAddressAsync();
                StateHasChanged();
            });
    }

    private bool IsSearchAddress(string uri)
    {
        var path = navigation.ToBaseRelativePath(uri);
        return path == "search" || path.StartsWith("search?", StringComparison.Ordinal);
    }

    /// <summary>Reads the filters from the address into the form and, when they are valid, searches.</summary>
    private async Task SearchAddressAsync()
    {
        var address = QueryHelpers.ParseQuery(new Uri(navigation.Uri).Query);
        Func<string, IReadOnlyList<string>> values = name => address.TryGetValue(name, out var given) ? given.OfType<string>().ToList() : [];
        var errors = new Dictionary<string, string[]>();
        _opened = address.Count == 0;
        if (_opened)
        {
            _filters = SearchFilters.Default(Clock, time.GetUtcNow());
            var parameters = _filters.ToParameters(Clock, errors);
            values = name => parameters.GetValueOrDefault(name) switch
            {
                string one => [one],
                string[] many => many,
                _ => [],
            };
        }
        else
        {
            _filters = SearchFilters.From(values, Clock);
            _more |= _filters.HasMoreFilters;
        }

        var query = EventSearchParameters.Parse(values, errors);
        await SearchAsync(errors.Count == 0 ? query : null, errors);
    }

    private async Task SearchAsync(EventQuery? query, Dictionary<string, string[]> errors)
    {
        _errors = errors;
        _query = query is null ? null : query with { After = null, Limit = FirstPageSize };
        _results?.Dispose();
        _results = null;
        _searchError = null;
        if (_query is null)
            return;
        try
        {
            var first = await directory.Store.SearchEventsAsync(_query);
            _results = new SearchResults(directory.Store, _query, first);
            _version++;
            if (Authentication is not null)
                access.RecordSearch((await Authentication).User, Connection, EventSearchParameters.Describe(_query));
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            _searchError = ex.Message;
        }
    }

    /// <summary>Search (or Enter in a field): the form goes into the address, and the address is searched.</summary>
    private async Task ApplyAsync()
    {
        var errors = new Dictionary<string, string[]>();
        var parameters = _filters.ToParameters(Clock, errors);
        if (errors.Count > 0)
        {
            // A time the viewer's zone skips cannot be written as UTC: said here, and nothing is searched.
            await SearchAsync(null, errors);
            return;
        }

        var target = navigation.GetUriWithQueryParameters(navigation.ToAbsoluteUri("search").ToString(), parameters);
        if (target == navigation.Uri)
            await SearchAddressAsync();
        else
            navigation.NavigateTo(target);
    }

    private void Clear()
    {
        _filters = new SearchFilters();
        _errors = [];
    }

    private void TypesChanged(IEnumerable<string>? types) => _filters.Types = types?.ToList() ?? [];

    private static string TypesText(IReadOnlyList<string> types) => types.Count switch
    {
        0 => "",
        1 => types[0],
        _ => $"{types.Count} types",
    };

    private bool Has(string name) => _errors.ContainsKey(name);

    private string? ErrorOf(string name) => _errors.TryGetValue(name, out var messages) ? string.Join(" ", messages) : null;

    private async ValueTask<ItemsProviderResult<IndexedEvent>> LoadRowsAsync(ItemsProviderRequest request)
    {
        if (_results is not { } results)
            return new ItemsProviderResult<IndexedEvent>([], 0);
        try
        {
            var rows = await results.ReadAsync(request.StartIndex, request.Count, request.CancellationToken);
            return new ItemsProviderResult<IndexedEvent>(rows, results.RowCount);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            _searchError = ex.Message;
            _ = InvokeAsync(StateHasChanged);
            return new ItemsProviderResult<IndexedEvent>([], 0);
        }
    }

    private static string CountText(SearchResults results) => results.TotalIsCapped
        ? $"More than {Figures.Count(results.Total)} events"
        : $"{Figures.Count(results.Total)} event{(results.Total == 1 ? "" : "s")}";

    private static string AccountUrl(IndexedEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"accounts/{Uri.EscapeDataString(e.AccountId)}?revision={e.Revision}");

    private void Open(IndexedEvent e) => navigation.NavigateTo(AccountUrl(e));

    private static string AmountText(IndexedEvent e) => e.Amount is { } amount ? Currencies.Format(amount, e.Currency) : "";

    /// <summary>The export endpoint's address for this search's filters.</summary>
    private string ExportUrl(string format) =>
        "api/events/search/export?" + string.Join("&", EventSearchParameters.Format(_query!)
            .Prepend(new KeyValuePair<string, string>("format", format))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    public void Dispose()
    {
        navigation.LocationChanged -= OnLocationChanged;
        _results?.Dispose();
    }
}
