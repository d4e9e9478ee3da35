using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>
/// Every account, searched by id or owner and paged, from the account directory; live as the ledger grows, and saying
/// so when the ledger feed cannot reach the store.
/// </summary>
public sealed partial class Accounts : IDisposable
{
    // A burst of appends (a seeding run writes thousands a second) redraws the page once in this long, not once per event.
    private static readonly TimeSpan CoalesceFor = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _leaving = new();
    private readonly List<IDisposable> _subscriptions = [];
    private MudTable<AccountState>? _table;
    private string? _search;

    // How many accounts the search shown matches (null: no search), and whether that is only a lower bound.
    private (string Search, int Total, bool AtLeast)? _matches;
    private int _reloadPending;
    private string? _storeError;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    /// <summary>The search, kept in the address so Back from an account returns to the same list.</summary>
    [SupplyParameterFromQuery(Name = "search")]
    public string? SearchParameter { get; set; }

    /// <summary>The page of the list, from 1, kept in the address with the search.</summary>
    [SupplyParameterFromQuery(Name = "page")]
    public int? PageParameter { get; set; }

    // The page the table opens on (from 0).
    private int _firstPage;

    protected override void OnInitialized()
    {
        _search = string.IsNullOrWhiteSpace(SearchParameter) ? null : SearchParameter;
        _firstPage = Math.Max(0, (PageParameter ?? 1) - 1);
        _storeError = Feed.LastError?.Message;
        _subscriptions.Add(Directory.Subscribe(DirectoryChangedAsync));

        // The ledger feed keeps trying when the store fails: say so while it does, and stop saying so when it delivers again.
        _subscriptions.Add(Feed.Subscribe(() => InvokeAsync(() =>
        {
            _storeError = Feed.LastError?.Message;
            StateHasChanged();
        })));
    }

    private async Task<TableData<AccountState>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var search = _search;
        var page = await Directory.SearchAsync(new AccountQuery(search, Skip: state.Page * state.PageSize, Take: state.PageSize), cancellationToken);
        var matches = string.IsNullOrWhiteSpace(search) ? null : ((string, int, bool)?)(search.Trim(), page.Total, page.TotalIsLowerBound);
        if (matches != _matches)
        {
            // The count above the table is this page's, not the table's: it renders again with it.
            _matches = matches;
            _ = InvokeAsync(StateHasChanged);
        }

        WriteAddress(search, state.Page);
        return new TableData<AccountState> { Items = page.Items, TotalItems = page.Total };
    }

    // The list's search and page in the address, replacing the entry: one history entry per page visited, not per keystroke.
    private void WriteAddress(string? search, int page)
    {
        if (!RendererInfo.IsInteractive)
            return;
        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["search"] = string.IsNullOrWhiteSpace(search) ? null : search,
            ["page"] = page == 0 ? null : page + 1,
        });
        if (uri != Navigation.Uri)
            Navigation.NavigateTo(uri, new NavigationOptions { ReplaceHistoryEntry = true });
    }

    private async Task SearchChanged(string? text)
    {
        _search = text;
        if (_table is null)
            return;

        // Another search starts on its first page.
        if (_table.CurrentPage != 0)
            _table.NavigateTo(0);
        else
            await _table.ReloadServerData();
    }

    // The first change of a burst waits out the burst, then reloads once; changes meanwhile ride along (the reload reads
    // the directory as it is then). A delay, not a subscription, because only time tells that a burst is over.
    private async Task DirectoryChangedAsync()
    {
        if (Interlocked.Exchange(ref _reloadPending, 1) == 1)
            return;
        await Task.Delay(CoalesceFor, _leaving.Token);
        Volatile.Write(ref _reloadPending, 0);
        await InvokeAsync(async () =>
        {
            if (_table is not null)
                await _table.ReloadServerData();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
            subscription.Dispose();
        _leaving.Cancel();
        _leaving.Dispose();
    }
}
