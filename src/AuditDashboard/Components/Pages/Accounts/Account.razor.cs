using AuditDashboard.Accounts;
using AuditDashboard.Components.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>One account: its current state and its whole timeline, updated live as events are appended.</summary>
public sealed partial class Account : IDisposable
{
    private AccountTimeline? _timeline;
    private TimelineSnapshot? _snapshot;
    private bool _loading = true;
    private bool _live;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Inject]
    private AccountTimelines Timelines { get; set; } = default!;

    [Parameter]
    public string AccountId { get; set; } = "";

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    // Present only while the page is prerendered: lets an unknown account answer with a real 404.
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    private string NotFoundMessage => AccountIds.IsValid(AccountId)
        ? $"There is no account “{AccountId}” in the ledger."
        : $"“{(AccountId.Length > 80 ? AccountId[..80] + "…" : AccountId)}” is not a valid account id: ids are 1–{AccountIds.MaxLength} letters, digits, '-' or '_'.";

    protected override async Task OnParametersSetAsync()
    {
        if (_timeline?.AccountId == AccountId)
            return;

        Detach();
        _loading = true;
        _breadcrumbs = [new("Accounts", "accounts"), new(AccountIds.IsValid(AccountId) ? AccountId : "Not found", null, disabled: true)];
        _timeline = await Timelines.GetAsync(AccountId);
        _snapshot = _timeline?.Snapshot;
        _loading = false;

        if (_timeline is null)
        {
            if (HttpContext is { Response.HasStarted: false })
                HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _timeline.Extended += OnExtended;
        _live = true;
    }

    private void OnExtended(object? sender, TimelineSnapshot snapshot) =>
        _ = InvokeAsync(() =>
        {
            _snapshot = snapshot;
            StateHasChanged();
        });

    private void Detach()
    {
        if (_timeline is not null)
            _timeline.Extended -= OnExtended;
        _live = false;
    }

    public void Dispose() => Detach();
}
