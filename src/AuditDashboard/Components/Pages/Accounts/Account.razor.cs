using AuditDashboard.Components.Pages.Accounts.Corrections;
using AuditDashboard.Components.Pages.Accounts.Export;
using AuditDashboard.Mirror;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>
/// One account: its timeline, and a replay of its state at any revision or moment, updated live as events are
/// appended. The URL carries the position (<c>?revision=k</c>) so a view can be shared and reloaded.
/// </summary>
public sealed partial class Account(
    AccountTimelines timelines,
    AccountHistory history,
    NavigationManager navigation,
    IDialogService dialogs,
    ISnackbar snackbar,
    IAuthorizationService authorization,
    // Without a running mirror (it is turned off) the timeline has no Kafka column.
    MirrorMonitor mirrorMonitor) : IDisposable
{
    private AccountTimeline? _timeline;
    private TimelineSnapshot? _snapshot;
    private AccountReplay? _replay;
    private ReplayView _view = ReplayView.Recorded;
    private int _index = -1;
    private bool _loading = true;

    // While a long account is read: how many events it has, and how many are folded so far.
    private long? _loadTotal;
    private int _loaded;
    private bool _live;
    private string? _revisionError;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private Timer? _urlUpdate;
    private TaskCompletionSource? _addressWritten;
    private bool _dialogOpen;
    private static readonly TimeSpan AddressWriteLimit = TimeSpan.FromSeconds(2);
    private IDisposable? _mirrorSubscription;
    private IDisposable? _timelineSubscription;
    private MirrorReport? _mirror;
    private bool _disposed;
    private string? _storeError;
    private Timer? _retryLoad;
    private static readonly TimeSpan StoreRetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>The longest account read while the first answer is prerendered; a longer one is read by the live page.</summary>
    private const int PrerenderedEventsLimit = 20_000;

    // The address this page wrote itself: when it comes back as a parameter it must not move the replay, which may
    // have moved on meanwhile.
    private string? _writtenRevision;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    private bool _canCorrect;
    private bool _canExport;

    [Parameter]
    public string AccountId { get; set; } = "";

    /// <summary>In the address, the position before the account's first event.</summary>
    private const string BeforeExistence = "-1";

    /// <summary>The stream revision to show, from <c>?revision=k</c> (-1: before the account existed); absent means the latest.</summary>
    [SupplyParameterFromQuery(Name = "revision")]
    public string? Revision { get; set; }

    /// <summary>The time view, from <c>?view=corrected</c>; absent means as recorded.</summary>
    [SupplyParameterFromQuery(Name = "view")]
    public string? ViewName { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    private ReplayPoint Point => _replay!.At(_index);

    private bool IsLatest => _replay is null || _index == _replay.Count - 1;

    private string StateCaption => Point.Entry is { } e
        ? (IsLatest ? $"Latest state · after revision {Figures.Count(e.Revision)}" : $"State after revision {Figures.Count(e.Revision)} · {Clock.Format(_view == ReplayView.Recorded ? e.Recorded : e.EffectiveAt)}")
        : "Before the account existed";

    protected override async Task OnInitializedAsync()
    {
        navigation.LocationChanged += OnLocationChanged;
        if (mirrorMonitor is { Enabled: true } monitor)
        {
            _mirror = await monitor.ReportAsync();
            _mirrorSubscription = monitor.Subscribe(() => RefreshMirrorAsync(monitor));
        }

        // Only hides what the user may not do; posting checks the role again on the server.
        if (Authentication is not null)
        {
            var user = (await Authentication).User;
            _canCorrect = (await authorization.AuthorizeAsync(user, Policies.PostCorrections)).Succeeded;
            _canExport = (await authorization.AuthorizeAsync(user, Policies.ExportTimelines)).Succeeded;
        }
    }

    private async Task OpenExportAsync()
    {
        if (_snapshot is null || !_canExport)
            return;
        var parameters = new DialogParameters<ExportDialog>
        {
            { d => d.AccountId, AccountId },
            { d => d.Snapshot, _snapshot },
            { d => d.InitialView, _view },
        };
        await InDialogAsync(async () =>
        {
            var dialog = await dialogs.ShowAsync<ExportDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
            return await dialog.Result;
        });
    }

    // The dialog provider closes every dialog when the address changes, so the replay's pending address is written (and
    // its change awaited) before a dialog opens, and none is written while one is open: a dialog opened right after a
    // step of the slider stays open.
    private async Task<DialogResult?> InDialogAsync(Func<Task<DialogResult?>> show)
    {
        if (_urlUpdate is not null)
        {
            _urlUpdate.Dispose();
            _urlUpdate = null;
            UpdateUrl();
        }

        if (_addressWritten is { } written)
        {
            try
            {
                await written.Task.WaitAsync(AddressWriteLimit);
            }
            catch (TimeoutException)
            {
                // The browser did not confirm the address in time; the dialog opens anyway.
            }
        }

        _dialogOpen = true;
        try
        {
            return await show();
        }
        finally
        {
            _dialogOpen = false;
            ScheduleUrlUpdate();
        }
    }

    private void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        _addressWritten?.TrySetResult();
        _addressWritten = null;
    }

    private async Task OpenCorrectionAsync(CorrectionKind kind, TimelineEntry? target)
    {
        if (_snapshot is null || !_canCorrect)
            return;
        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.AccountId, AccountId },
            { d => d.Snapshot, _snapshot },
            { d => d.Kind, kind },
            { d => d.Target, target },
        };
        var result = await InDialogAsync(async () =>
        {
            var dialog = await dialogs.ShowAsync<CorrectionDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
            return await dialog.Result;
        });
        if (result is { Canceled: false, Data: long revision })
        {
            snackbar.Add($"Correction posted at revision {revision}.", Severity.Success);
            OnRevisionPicked(revision);
        }
        else if (result is { Canceled: false, Data: CorrectionOutcome.Proposed proposed })
        {
            snackbar.Add($"Proposal recorded at revision {proposed.Revision}: another Support user must approve it before the balance changes.", Severity.Info, o =>
            {
                o.Action = "Pending corrections";
                o.OnClick = _ =>
                {
                    navigation.NavigateTo("corrections/pending");
                    return Task.CompletedTask;
                };
            });
            OnRevisionPicked(proposed.Revision);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_timeline?.AccountId != AccountId)
        {
            Detach();
            _loading = true;
            _breadcrumbs = [new("Accounts", "accounts"), new(AccountIds.IsValid(AccountId) ? AccountId : "Not found", null, disabled: true)];
            _writtenRevision = null;
            if (!await TryLoadAsync())
                return;
            if (_timeline is null)
            {
                // Renders the not-found page, which names the account, and answers a prerendered request with 404.
                navigation.NotFound();
                return;
            }

            // Subscribe before reading, so an event appended in between is not missed.
            _timelineSubscription = _timeline.Subscribe(() => InvokeAsync(ShowExtended));
            _live = true;
            _snapshot = _timeline.Snapshot;
            _replay = AccountReplay.Of(AccountId, _snapshot, _view);
            _index = _replay.Count - 1;
        }

        ApplyViewFromUrl();
        ApplyRevisionFromUrl();
    }

    // Reads the account; when the store does not answer, says so and tries again every few seconds until it does.
    private async Task<bool> TryLoadAsync()
    {
        try
        {
            _loaded = 0;
            _loadTotal = await history.LastRevisionAsync(AccountId) + 1;
            if (!RendererInfo.IsInteractive && _loadTotal > PrerenderedEventsLimit && !timelines.Holds(AccountId))
            {
                // A long read would hold the first answer back with nothing on screen: the live page reads it, showing how far it got.
                return false;
            }

            // Off the render thread, so the page can show how far a long read has come while it runs.
            var progress = new Progress<int>(folded =>
            {
                _loaded = folded;
                _ = InvokeAsync(StateHasChanged);
            });
            _timeline = await Task.Run(() => timelines.GetAsync(AccountId, progress));
            _storeError = null;
            _loading = false;
            return true;
        }
        catch (EventStoreUnavailableException ex)
        {
            _storeError = $"The event store does not answer, so this account cannot be read: {ex.Message} This page tries again every few seconds.";

            // A timer, not a subscription: this page's own read failed, and only reading again tells whether the store answers it now.
            _retryLoad ??= new Timer(_ => _ = InvokeAsync(RetryLoadAsync), null, StoreRetryInterval, StoreRetryInterval);
            return false;
        }
        catch (StreamDeletedException ex)
        {
            // For good: nothing to wait for.
            _storeError = $"This account cannot be shown: {ex.Message}";
            _retryLoad?.Dispose();
            _retryLoad = null;
            return false;
        }
    }

    private async Task RetryLoadAsync()
    {
        if (_disposed || _storeError is null)
            return;
        _timeline = null;
        await OnParametersSetAsync();
        if (_storeError is null)
        {
            _retryLoad?.Dispose();
            _retryLoad = null;
        }

        StateHasChanged();
    }

    private void ApplyViewFromUrl()
    {
        var view = string.Equals(ViewName, "corrected", StringComparison.OrdinalIgnoreCase) ? ReplayView.Corrected : ReplayView.Recorded;
        if (_replay is not null && view != _view)
            OnViewChanged(view);
    }

    private void ApplyRevisionFromUrl()
    {
        if (_replay is null || string.IsNullOrEmpty(Revision) || Revision == _writtenRevision)
            return;
        if (Revision == BeforeExistence)
        {
            _revisionError = null;
            _index = -1;
            return;
        }

        if (Point.Entry is { } shown && Revision == shown.Revision.ToString(CultureInfo.InvariantCulture))
            return;

        var first = _replay.EntryAt(0).Revision;
        var last = _replay.EntryAt(_replay.Count - 1).Revision;
        if (!long.TryParse(Revision, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            _revisionError = $"“{Shorten(Revision)}” is not a revision: use a whole number from {first} to {last} (or -1: before the account existed). Showing revision {Point.Entry?.Revision}.";
            return;
        }

        if (_replay.IndexOfRevision(revision) is not { } index)
        {
            _revisionError = $"Revision {Shorten(Revision)} is out of range: this account has revisions {first} to {last}. Showing revision {Point.Entry?.Revision}.";
            return;
        }

        _revisionError = null;
        _index = index;
    }

    private void OnIndexChanged(int index)
    {
        if (_replay is null)
            return;
        _index = Math.Clamp(index, -1, _replay.Count - 1);
        _revisionError = null;
        ScheduleUrlUpdate();
    }

    private void OnRevisionPicked(long revision)
    {
        // A revision just written (a posted correction) may be in the timeline before its notice reaches this page.
        if (_replay?.IndexOfRevision(revision) is null)
            ShowExtended();
        if (_replay?.IndexOfRevision(revision) is { } index)
            OnIndexChanged(index);
    }

    private void OnViewChanged(ReplayView view)
    {
        if (_snapshot is null || view == _view)
            return;
        var revision = Point.Entry?.Revision;
        _view = view;
        _replay = AccountReplay.Of(AccountId, _snapshot, view);
        _index = revision is { } r && _replay.IndexOfRevision(r) is { } i ? i : _replay.Count - 1;
        ScheduleUrlUpdate();
    }

    // Dragging the slider moves through many positions a second; the address bar follows once it settles. A timer, not a
    // subscription: the address waits for the user to stop, which only time tells.
    private void ScheduleUrlUpdate()
    {
        // While prerendering the address is the request's own; only a live page rewrites it.
        if (!RendererInfo.IsInteractive)
            return;
        _urlUpdate?.Dispose();
        _urlUpdate = new Timer(_ => _ = InvokeAsync(UpdateUrl), null, 300, Timeout.Infinite);
    }

    private void UpdateUrl()
    {
        // A timer tick queued before the page went away must not rewrite the next page's address.
        if (_replay is null || _disposed || _dialogOpen)
            return;
        _writtenRevision = Point.Entry is { } e ? e.Revision.ToString(CultureInfo.InvariantCulture) : BeforeExistence;
        var uri = navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["revision"] = _writtenRevision,
            ["view"] = _view == ReplayView.Corrected ? "corrected" : null,
        });
        if (uri != navigation.Uri)
        {
            _addressWritten ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            navigation.NavigateTo(uri, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    private void ShowExtended()
    {
        // Notifications of catch-ups on other threads may arrive late: only a longer history replaces the one shown.
        if (_disposed || _replay is null || _snapshot is null || _timeline?.Snapshot is not { } snapshot || snapshot.Count <= _snapshot.Count)
            return;
        var followLatest = IsLatest;
        var shownRevision = Point.Entry?.Revision;
        _snapshot = snapshot;
        _replay = AccountReplay.Of(AccountId, snapshot, _view);

        // Keep the same event in view: in the corrected view a new correction can shift positions before it.
        _index = followLatest ? _replay.Count - 1
            : shownRevision is { } r && _replay.IndexOfRevision(r) is { } i ? i
            : Math.Min(_index, _replay.Count - 1);
        StateHasChanged();
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    private void Detach()
    {
        _timelineSubscription?.Dispose();
        _timelineSubscription = null;
        _live = false;
    }

    /// <summary>Shows which events reached Kafka; renders only when the mirror moved.</summary>
    private async Task RefreshMirrorAsync(MirrorMonitor monitor)
    {
        try
        {
            var report = await monitor.ReportAsync();
            if (_disposed || _mirror is { } shown && shown.Status.LastMirroredPosition == report.Status.LastMirroredPosition && shown.ParkedCount == report.ParkedCount)
                return;
            await InvokeAsync(() =>
            {
                _mirror = report;
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is ObjectDisposedException or EventStoreUnavailableException or InvalidOperationException)
        {
            // The page is going away, or the store is; the next report tries again.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        navigation.LocationChanged -= OnLocationChanged;
        Detach();
        _urlUpdate?.Dispose();
        _mirrorSubscription?.Dispose();
        _retryLoad?.Dispose();
    }
}
