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

    protected override void OnInitialized()
    {
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
        _matches = string.IsNullOrWhiteSpace(search) ? null : (search.Trim(), page.Total, page.TotalIsLowerBound);
        return new TableData<AccountState> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task SearchChanged(string? text)
    {
        _search = text;
        if (_table is not null)
            await _table.ReloadServerData();
    }

    private void OpenRow(TableRowClickEventArgs<AccountState> args)
    {
        if (args.Item is { } account)
            Navigation.NavigateTo($"accounts/{Uri.EscapeDataString(account.AccountId)}");
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
