using AuditDashboard.Access;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Components.Pages.AccessLog;

/// <summary>
/// The access log, newest first, filtered by user, account, action and time range. The filters live in the address
/// (<c>?user=&amp;account=&amp;action=&amp;from=&amp;to=</c>, times in the viewer's zone) so a filtered view can be
/// bookmarked and shared; filters that are not valid are named and list nothing.
/// </summary>
public sealed partial class AccessLogPage(AccessLogReader reader, NavigationManager navigation)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm";

    private MudTable<AccessLogEntry>? _table;
    private string? _error;
    private AccessLogFilter _filter = new();
    private Dictionary<string, string[]> _errors = [];
    private bool _scanLimitReached;

    // The form's fields, filled from the address.
    private string? _user;
    private string? _account;
    private string? _action;
    private string? _from;
    private string? _to;

    [SupplyParameterFromQuery(Name = "user")]
    public string? UserFilter { get; set; }

    [SupplyParameterFromQuery(Name = "account")]
    public string? AccountFilter { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? ActionFilter { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromFilter { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToFilter { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    protected override async Task OnParametersSetAsync()
    {
        (_user, _account, _action, _from, _to) = (UserFilter, AccountFilter, ActionFilter, FromFilter, ToFilter);
        _errors = [];
        _filter = AccessLogQuery.Parse(UserFilter, AccountFilter, ActionFilter, FromFilter, ToFilter, Clock.Zone, _errors);

        // The table reads its first page by itself; a change of the address afterwards reads it again.
        if (_table is not null)
            await _table.ReloadServerData();
    }

    private async Task<TableData<AccessLogEntry>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            if (_errors.Count > 0)
                return new TableData<AccessLogEntry> { Items = [], TotalItems = 0 };
            var page = await reader.SearchAsync(_filter, (long)state.Page * state.PageSize, state.PageSize, cancellationToken);
            _scanLimitReached = page.ScanLimitReached;
            _error = null;
            return new TableData<AccessLogEntry> { Items = page.Items, TotalItems = (int)Math.Min(page.Total, int.MaxValue) };
        }
        catch (EventStoreUnavailableException ex)
        {
            _error = ex.Message;
            return new TableData<AccessLogEntry> { Items = [], TotalItems = 0 };
        }
        finally
        {
            // The alert and the filters sit outside the table, which re-renders only itself.
            _ = InvokeAsync(StateHasChanged);
        }
    }

    /// <summary>Writes the form's filters into the address, which lists them; filters that are not valid are named and the address stays.</summary>
    private void ApplyFilters()
    {
        var errors = new Dictionary<string, string[]>();
        var filter = AccessLogQuery.Parse(_user, _account, _action, _from, _to, Clock.Zone, errors);
        if (errors.Count > 0)
        {
            _errors = errors;
            return;
        }

        navigation.NavigateTo(navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["user"] = filter.User,
            ["account"] = filter.AccountId,
            ["action"] = filter.Action,
            ["from"] = filter.From is { } from ? Clock.ToLocal(from).ToString(TimeFormat, CultureInfo.InvariantCulture) : null,
            ["to"] = filter.To is { } to ? Clock.ToLocal(to).ToString(TimeFormat, CultureInfo.InvariantCulture) : null,
        }));
    }

    private void ClearFilters() => navigation.NavigateTo("access-log");

    private async Task ReloadAsync()
    {
        if (_table is not null)
            await _table.ReloadServerData();
    }

    // One look: its time; several: the first and the last.
    private string LookTimes(AccessRecorded look) =>
        look.Count == 1 ? Clock.Format(look.FirstAt) : $"{Clock.Format(look.FirstAt)} – {Clock.Format(look.LastAt)}";

    private string? ErrorOf(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private static string ActionLabel(string action) => action switch
    {
        nameof(AccessAction.AccountViewed) => "Viewed the account page",
        nameof(AccessAction.AccountRead) => "Read the account over the API",
        nameof(AccessAction.EventsSearched) => "Searched events",
        AccessLogFilter.Export => "Exports",
        AccessLogFilter.SignIn => "Sign-ins",
        _ => action,
    };

    private static string RangeText(DateTimeOffset? from, DateTimeOffset? to) => (from, to) switch
    {
        (null, null) => "All time",
        _ => $"{Day(from)} – {Day(to)}",
    };

    private static string SignInLabel(string eventType) => eventType switch
    {
        SignInEvents.SignedIn => "Signed in",
        SignInEvents.SignedOut => "Signed out",
        SignInEvents.SignInLockedOut => "Locked out",
        _ => "Refused",
    };

    private static Color SignInColor(string eventType) => eventType switch
    {
        SignInEvents.SignedIn or SignInEvents.SignedOut => Color.Default,
        SignInEvents.SignInLockedOut => Color.Warning,
        _ => Color.Error,
    };

    private static string Day(DateTimeOffset? moment) => moment is { } m ? m.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "…";
}
