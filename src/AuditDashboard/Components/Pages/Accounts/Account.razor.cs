using AuditDashboard.Accounts;
using AuditDashboard.Access;
using AuditDashboard.Components.Pages.Accounts.Corrections;
using AuditDashboard.Components.Pages.Accounts.Export;
using AuditDashboard.Core.Export;
using AuditDashboard.Mirror;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>
/// One account: its timeline, and a replay of its state at any revision or moment, updated live as events are
/// appended. The URL carries the position (<c>?revision=k</c>) so a view can be shared and reloaded. An account longer
/// than <see cref="TimelineCacheOptions.WindowAbove"/> events is not read whole for the recorded view: each position is
/// read from the account's marks when shown (<see cref="MarkedReplay"/>), so its length costs neither time nor memory.
/// </summary>
public sealed partial class Account(
    AccountTimelines timelines,
    AccountHistory history,
    AccountDirectory directory,
    IOptions<TimelineCacheOptions> timelineOptions,
    NavigationManager navigation,
    IDialogService dialogs,
    ISnackbar snackbar,
    IAuthorizationService authorization,
    AccessRecorder accessRecorder,
    CorrectionSnapshots correctionAccounts,
    IJSRuntime js,
    // Without a running mirror (it is turned off) the timeline has no Kafka column.
    MirrorMonitor mirrorMonitor) : IDisposable
{
    // The account this page has read, whole (_timeline, _snapshot) or a window at a time (a MarkedReplay, or the
    // CorrectedMarkedReplay over one).
    private string? _openedAccount;
    private AccountTimeline? _timeline;
    private TimelineSnapshot? _snapshot;

    // How a long account's corrections point at each other, for its timeline's rows (see AccountHistory.CommandLinksAsync).
    private CorrectionLinks? _windowLinks;
    private IReplaySource? _replay;
    private ReplayView _view = ReplayView.Recorded;

    // The slider's position, and the position shown (read when the slider moved, so it may follow a moment later).
    private int _index = -1;
    private ReplayPoint? _point;
    private ReplayPoint? _previous;
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

    // Set while a dialog's account is read, before it opens: a second key or click opens no second dialog.
    private bool _dialogPending;
    private static readonly TimeSpan AddressWriteLimit = TimeSpan.FromSeconds(2);
    private IDisposable? _mirrorSubscription;
    private IDisposable? _timelineSubscription;
    private bool _followsDirectory;
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
    private bool _canReviewAccess;

    /// <summary>
    /// The account whose opening the prerendered answer recorded already: the live page that takes over from it does
    /// not record the same opening again.
    /// </summary>
    [PersistentState]
    public string? LookRecordedFor { get; set; }

    /// <summary>Where the user's request came from, for the access log.</summary>
    [CascadingParameter]
    private ClientConnection Connection { get; set; } = ClientConnection.Unknown;

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

    private ReplayPoint Point => _point!;

    private bool IsLatest => _replay is null || _point is null || _point.Index == _replay.Count - 1;

    // Whether the slider is at the last event (the position shown may still be reading): a new event moves it along.
    private bool SliderAtLatest => _replay is null || _index == _replay.Count - 1;

    /// <summary>The time of the position shown, in the view's time; null before the account existed.</summary>
    private DateTimeOffset? PointTime => Point.Entry is { } e ? (_view == ReplayView.Recorded ? e.Recorded : e.EffectiveAt) : null;

    /// <summary>The account's latest state.</summary>
    private AccountState Current => _snapshot?.Current ?? Marked!.Latest.StateAfter;

    // A closed account accepts no corrections (CorrectionRules refuses them on the server): its actions are not offered.
    private bool Closed => Current.Status == AccountStatus.Closed;

    /// <summary>
    /// The recorded replay of an account read a window at a time (shown, or under the corrected view); null when the page
    /// holds the account whole.
    /// </summary>
    private MarkedReplay? Marked => _replay as MarkedReplay ?? (_replay as CorrectedMarkedReplay)?.Recorded;

    // Read a window at a time: a long account, in either view, once the directory's projection has caught up (before, the
    // account has no marks yet to start from, its corrections are not all in the event index, and no change notices come);
    // the ledger feed may still be reading what was stored at start.
    private bool Windowed => _loadTotal > timelineOptions.Value.WindowAbove && directory.ProjectionIsCaughtUp;

    private string StateCaption => Point.Entry is { } e
        ? (IsLatest ? $"Latest state · after revision {Figures.Count(e.Revision)}" : $"State after revision {Figures.Count(e.Revision)} · {Clock.Format(PointTime!.Value)}")
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
            _canReviewAccess = _canExport;
        }
    }

    private static readonly string[] ShortcutKeys = ["j", "k", "Home", "End", "r", "e", "?"];

    private DotNetObjectReference<Account>? _shortcutTarget;
    private IJSObjectReference? _shortcuts;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _disposed)
            return;
        _shortcutTarget = DotNetObjectReference.Create(this);
        try
        {
            var shortcuts = await js.InvokeAsync<IJSObjectReference>("auditDashboard.listenForShortcuts", _shortcutTarget, ShortcutKeys);

            // The page may have gone while the listener was set up: it goes with it.
            if (_disposed)
                _ = StopShortcutsAsync(shortcuts);
            else
                _shortcuts = shortcuts;
        }
        catch (Exception ex) when (BrowserCalls.Failed(ex))
        {
            // The page went away while it was drawn (or its script did not load): it works without shortcuts.
        }
    }

    /// <summary>A shortcut key typed on the page outside any field or dialog (see the shortcuts dialog).</summary>
    [JSInvokable]
    public Task OnShortcutAsync(string key) => InvokeAsync(async () =>
    {
        if (_disposed || _loading || _replay is null || _dialogOpen || _dialogPending)
            return;
        switch (key)
        {
            case "j":
                await OnIndexChanged(_index + 1);
                break;
            case "k":
                await OnIndexChanged(_index - 1);
                break;
            case "Home":
                await OnIndexChanged(0);
                break;
            case "End":
                await OnIndexChanged(_replay.Count - 1);
                break;
            case "r" when ShownReversible is { } shown:
                await OpenCorrectionAsync(CorrectionKind.Reversal, shown);
                break;
            case "e":
                await OpenExportAsync();
                break;
            case "?":
                await OpenShortcutsAsync();
                break;
        }

        StateHasChanged();
    });

    private async Task OpenShortcutsAsync()
    {
        var parameters = new DialogParameters<ShortcutsDialog>
        {
            { d => d.CanCorrect, _canCorrect && !Closed },
            { d => d.CanExport, _canExport },
        };
        await InDialogAsync(async () =>
        {
            var dialog = await dialogs.ShowAsync<ShortcutsDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
            return await dialog.Result;
        });
    }

    private async Task OpenExportAsync()
    {
        if (!_canExport || _replay is null)
            return;
        var parameters = new DialogParameters<ExportDialog>
        {
            { d => d.AccountId, AccountId },
            { d => d.Replays, ReplayInViewAsync },
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

    // The account as this page holds it, in a view: whole, or a window at a time.
    private async Task<IReplaySource> ReplayInViewAsync(ReplayView view) =>
        _snapshot is { } snapshot ? AccountReplay.Of(AccountId, snapshot, view)
        : Marked is { } marked ? await CorrectedMarkedReplay.InViewAsync(history, marked, view)
        : throw new InvalidOperationException("The page holds no account.");

    // The correction dialogs work on the whole timeline, or on a compact snapshot of a long account shown a window at a
    // time (its command events, the event corrected and the latest one), never reading it whole.
    private async Task<CorrectionAccount?> CorrectionAccountAsync(TimelineEntry? target)
    {
        if (_snapshot is not null)
            return new CorrectionAccount(_snapshot, null);
        try
        {
            return await correctionAccounts.OpenAsync(AccountId, target is null ? [] : [target.Revision]);
        }
        catch (EventStoreUnavailableException ex)
        {
            snackbar.Add($"The event store does not answer: {ex.Message}", Severity.Error);
            return null;
        }
    }

    /// <summary>The event shown, when this user may reverse it (Support, an open account, a movement not reversed yet); else null.</summary>
    private TimelineEntry? ShownReversible =>
        _canCorrect && !Closed && (_snapshot?.Links ?? _windowLinks) is { } links && Point.Entry is { } shown && links.MayReverse(shown) ? shown : null;

    // The reason is written for the user, who may change it before posting.
    private Task ReverseDuplicateAsync((TimelineEntry Duplicate, TimelineEntry Original) pair) =>
        OpenCorrectionAsync(CorrectionKind.Reversal, pair.Duplicate,
            $"Duplicate of revision {pair.Original.Revision}: the same payment ({Shortened(pair.Original.Reference)}) was posted twice.");

    // A reference as long as a reason may be: the reason names its first 80 characters.
    private static string? Shortened(string? reference) => reference is { Length: > 80 } ? reference[..80] + "…" : reference;

    private async Task OpenCorrectionAsync(CorrectionKind kind, TimelineEntry? target, string? reason = null)
    {
        if (!_canCorrect || Closed || _dialogPending || _dialogOpen)
            return;
        _dialogPending = true;
        CorrectionAccount? account;
        try
        {
            account = await CorrectionAccountAsync(target);
        }
        finally
        {
            _dialogPending = false;
        }

        if (account is null)
            return;
        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.AccountId, AccountId },
            { d => d.Snapshot, account.Snapshot },
            { d => d.CorrectedBalance, account.CorrectedBalance },
            { d => d.Kind, kind },
            { d => d.Target, target },
            { d => d.InitialReason, reason },
        };
        var result = await InDialogAsync(async () =>
        {
            var dialog = await dialogs.ShowAsync<CorrectionDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
            return await dialog.Result;
        });
        if (result is { Canceled: false, Data: long revision })
        {
            snackbar.Add($"Correction posted at revision {revision}.", Severity.Success);
            await OnRevisionPicked(revision);
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
            await OnRevisionPicked(proposed.Revision);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_openedAccount != AccountId)
        {
            Detach();
            _loading = true;
            _breadcrumbs = [new("Accounts", "accounts"), new(AccountIds.IsValid(AccountId) ? AccountId : "Not found", null, disabled: true)];
            _writtenRevision = null;
            _view = ViewFromUrl();
            if (!await TryOpenAsync())
                return;
            await RecordViewAsync(_replay is null ? AccessOutcome.NotFound : AccessOutcome.Allowed);
            if (_replay is null)
            {
                // Renders the not-found page, which names the account, and answers a prerendered request with 404.
                _loading = false;
                navigation.NotFound();
                return;
            }

            await ShowAsync(_replay.Count - 1);
            _loading = false;
        }

        await ApplyViewFromUrlAsync();
        await ApplyRevisionFromUrlAsync();
    }

    // Once per account the page opens, never per step of the slider: the access log records who saw which account.
    private async Task RecordViewAsync(AccessOutcome outcome)
    {
        if (Authentication is null)
            return;
        if (LookRecordedFor == AccountId)
        {
            LookRecordedFor = null;
            return;
        }

        accessRecorder.RecordAccountViewed((await Authentication).User, Connection, AccountId, outcome);
        if (!RendererInfo.IsInteractive)
            LookRecordedFor = AccountId;
    }

    // Reads the account, whole or its latest state only (see Windowed); when the store does not answer, says so and tries
    // again every few seconds until it does.
    private async Task<bool> TryOpenAsync()
    {
        try
        {
            _loaded = 0;
            _openedAccount = null;
            _loadTotal = await history.LastRevisionAsync(AccountId) + 1;
            if (Windowed)
            {
                await OpenWindowedAsync(_loadTotal!.Value - 1);
            }
            else
            {
                if (!RendererInfo.IsInteractive && _loadTotal > PrerenderedEventsLimit && !timelines.Holds(AccountId))
                {
                    // A long read would hold the first answer back with nothing on screen: the live page reads it, showing how far it got.
                    return false;
                }

                await OpenWholeAsync();
            }

            // The caller shows the first position, then ends the loading state.
            _openedAccount = AccountId;
            _storeError = null;
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

    private async Task OpenWholeAsync()
    {
        // Off the render thread, so the page can show how far a long read has come while it runs.
        var progress = new Progress<int>(folded =>
        {
            _loaded = folded;
            _ = InvokeAsync(StateHasChanged);
        });
        _timeline = await Task.Run(() => timelines.GetAsync(AccountId, progress));
        if (_timeline is null)
        {
            (_snapshot, _replay) = (null, null);
            return;
        }

        // Subscribe before reading, so an event appended in between is not missed.
        _timelineSubscription = _timeline.Subscribe(() => InvokeAsync(ShowExtendedAsync));
        _live = true;
        _snapshot = _timeline.Snapshot;
        _replay = AccountReplay.Of(AccountId, _snapshot, _view);
    }

    private async Task OpenWindowedAsync(long lastRevision)
    {
        (_timeline, _snapshot, _windowLinks) = (null, null, null);

        // Follow the directory before reading, so an event appended in between is not missed.
        if (!_followsDirectory)
        {
            directory.Changed += OnAccountChanged;
            _followsDirectory = true;
        }

        var latest = await history.AtRevisionAsync(AccountId, lastRevision);
        var marked = latest is null ? null : new MarkedReplay(history, latest, directory.MarkInterval);
        _replay = marked is not null ? await CorrectedMarkedReplay.InViewAsync(history, marked, _view) : null;
        _windowLinks = marked is not null ? await history.CommandLinksAsync(AccountId) : null;
        _live = _replay is not null;
    }

    // Raised by the directory for every account that changed, on its own thread.
    private void OnAccountChanged(object? sender, AccountState state)
    {
        if (state.AccountId == AccountId && state.Revision is { } revision)
            _ = InvokeAsync(() => ExtendWindowAsync(revision));
    }

    private async Task ExtendWindowAsync(long revision)
    {
        if (_disposed || Marked is not { } shown || revision <= shown.Latest.Revision)
            return;
        try
        {
            // The page may have moved to another account while this one was read.
            var latest = await history.AtRevisionAsync(shown.AccountId, revision);
            if (latest is null || Marked is not { } current || current.AccountId != shown.AccountId || latest.Revision <= current.Latest.Revision)
                return;
            var followLatest = SliderAtLatest;
            var shownRevision = Point.Entry?.Revision;
            var replay = _replay is CorrectedMarkedReplay corrected ? await corrected.ExtendAsync(history, latest) : (IReplaySource)current.Extend(latest);
            // Only the events commands write link events to each other: the next event alone, written by none, links nothing new.
            var links = _windowLinks is { } known && latest.Revision == current.Latest.Revision + 1 && !AccountEventTypes.IsCommand(latest.EventType)
                ? known
                : await history.CommandLinksAsync(current.AccountId);
            if (!ReferenceEquals(Marked, current))
                return;
            if (replay.View != _view)
            {
                // The view changed while the corrections were read: extend the one shown now.
                _ = InvokeAsync(() => ExtendWindowAsync(revision));
                return;
            }

            _replay = replay;
            _loadTotal = latest.Revision + 1;
            _windowLinks = links;

            // Keep the same event in view: in the corrected view a new correction can shift positions before it.
            await ShowAsync(followLatest ? _replay.Count - 1
                : shownRevision is { } r && _replay.IndexOfRevision(r) is { } i ? i
                : Math.Min(_index, _replay.Count - 1));
            StateHasChanged();
        }
        catch (EventStoreUnavailableException)
        {
            // The next change tries again; the page keeps what it shows.
        }
    }

    /// <summary>
    /// Moves the replay to <paramref name="index"/> and reads what it shows there; a later move wins over an earlier one
    /// still reading. When the store does not answer, the slider goes back to the position shown, with a word why.
    /// </summary>
    private async Task ShowAsync(int index)
    {
        var replay = _replay!;
        _index = index;
        try
        {
            var point = await replay.AtAsync(index);
            var previous = await replay.AtAsync(Math.Max(-1, index - 1));
            if (!ReferenceEquals(replay, _replay) || _index != index)
                return;
            (_point, _previous) = (point, previous);
        }
        catch (EventStoreUnavailableException ex) when (ReferenceEquals(replay, _replay) && _index == index && _point is { } shown)
        {
            _index = shown.Index;
            _revisionError = $"The event store does not answer, so revision {replay.RevisionAt(index)} cannot be read: {ex.Message} Showing the position before.";
        }
    }

    private async Task RetryLoadAsync()
    {
        if (_disposed || _storeError is null)
            return;
        _openedAccount = null;
        await OnParametersSetAsync();
        if (_storeError is null)
        {
            _retryLoad?.Dispose();
            _retryLoad = null;
        }

        StateHasChanged();
    }

    private ReplayView ViewFromUrl() =>
        string.Equals(ViewName, "corrected", StringComparison.OrdinalIgnoreCase) ? ReplayView.Corrected : ReplayView.Recorded;

    private async Task ApplyViewFromUrlAsync()
    {
        var view = ViewFromUrl();
        if (_replay is not null && view != _view)
            await OnViewChanged(view);
    }

    private async Task ApplyRevisionFromUrlAsync()
    {
        if (_replay is null || string.IsNullOrEmpty(Revision) || Revision == _writtenRevision)
            return;
        if (Revision == BeforeExistence)
        {
            _revisionError = null;
            await ShowAsync(-1);
            return;
        }

        if (Point.Entry is { } shown && Revision == shown.Revision.ToString(CultureInfo.InvariantCulture))
            return;

        var first = _replay.RevisionAt(0);
        var last = _replay.RevisionAt(_replay.Count - 1);
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
        await ShowAsync(index);
    }

    private async Task OnIndexChanged(int index)
    {
        if (_replay is null)
            return;
        _revisionError = null;
        ScheduleUrlUpdate();
        await ShowAsync(Math.Clamp(index, -1, _replay.Count - 1));
    }

    private async Task OnRevisionPicked(long revision)
    {
        // A revision just written (a posted correction) may be in the timeline before its notice reaches this page.
        if (_replay?.IndexOfRevision(revision) is null)
        {
            if (Marked is not null)
                await ExtendWindowAsync(revision);
            else
                await ShowExtendedAsync();
        }

        if (_replay?.IndexOfRevision(revision) is { } index)
            await OnIndexChanged(index);
    }

    private async Task OnViewChanged(ReplayView view)
    {
        if (_replay is null || view == _view)
            return;
        var revision = Point.Entry?.Revision;
        var followLatest = SliderAtLatest;
        var windowed = Windowed;
        _view = view;
        if (windowed != Windowed)
        {
            // The directory caught up since the account was read whole: read it a window at a time from now on.
            Detach();
            _loading = true;
            StateHasChanged();
            if (!await TryOpenAsync() || _replay is null)
                return;
            await ShowAsync(!followLatest && revision is { } at && _replay.IndexOfRevision(at) is { } found ? found : _replay.Count - 1);
            _loading = false;
            ScheduleUrlUpdate();
            return;
        }
        else if (Marked is { } marked)
        {
            _replay = await CorrectedMarkedReplay.InViewAsync(history, marked, view);
        }
        else
        {
            _replay = AccountReplay.Of(AccountId, _snapshot!, view);
        }

        await ShowAsync(!followLatest && revision is { } r && _replay.IndexOfRevision(r) is { } i ? i : _replay.Count - 1);
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

    private async Task ShowExtendedAsync()
    {
        // Notifications of catch-ups on other threads may arrive late: only a longer history replaces the one shown.
        if (_disposed || _replay is null || _snapshot is null || _timeline?.Snapshot is not { } snapshot || snapshot.Count <= _snapshot.Count)
            return;
        var followLatest = SliderAtLatest;
        var shownRevision = Point.Entry?.Revision;
        _snapshot = snapshot;
        _replay = AccountReplay.Of(AccountId, snapshot, _view);

        // Keep the same event in view: in the corrected view a new correction can shift positions before it.
        await ShowAsync(followLatest ? _replay.Count - 1
            : shownRevision is { } r && _replay.IndexOfRevision(r) is { } i ? i
            : Math.Min(_index, _replay.Count - 1));
        StateHasChanged();
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    private void Detach()
    {
        _timelineSubscription?.Dispose();
        _timelineSubscription = null;
        (_point, _previous) = (null, null);
        if (_followsDirectory)
        {
            directory.Changed -= OnAccountChanged;
            _followsDirectory = false;
        }

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
        if (_shortcuts is { } shortcuts)
            _ = StopShortcutsAsync(shortcuts);
        _shortcutTarget?.Dispose();
        navigation.LocationChanged -= OnLocationChanged;
        Detach();
        _urlUpdate?.Dispose();
        _mirrorSubscription?.Dispose();
        _retryLoad?.Dispose();
    }

    private static async Task StopShortcutsAsync(IJSObjectReference shortcuts)
    {
        try
        {
            await shortcuts.InvokeVoidAsync("dispose");
            await shortcuts.DisposeAsync();
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException or ObjectDisposedException)
        {
            // The page's browser has gone: its listener went with it.
        }
    }
}
