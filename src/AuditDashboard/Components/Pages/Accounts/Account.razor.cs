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

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

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
            // Renders the not-found page, which names the account, and answers a prerendered request with 404.
            Navigation.NotFound();
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
