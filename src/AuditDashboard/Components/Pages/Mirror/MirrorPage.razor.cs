using AuditDashboard.Core.Mirror;
using AuditDashboard.Mirror;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Mirror;

/// <summary>
/// The Kafka mirror's state, lag, throughput and parked events, refreshed every second; Support may send the parked
/// events again; anyone may read one account back from Kafka and compare it with the store.
/// </summary>
public sealed partial class MirrorPage(MirrorMonitor monitor, IAuthorizationService authorization, ISnackbar snackbar)
{
    private readonly CancellationTokenSource _leaving = new();
    private MirrorReport? _report;
    private bool _canRetry;
    private bool _retrying;
    private string? _account;
    private bool _reconciling;
    private string? _reconcileError;
    private ReconciliationReport? _reconciliation;
    private IDisposable? _subscription;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _canRetry = await IsSupportAsync();
        _report = await monitor.ReportAsync(_leaving.Token);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _subscription = monitor.Subscribe(RefreshAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _leaving.CancelAsync();
        _leaving.Dispose();
    }

    private async Task RefreshAsync()
    {
        var report = await monitor.ReportAsync(_leaving.Token);
        await InvokeAsync(() =>
        {
            _report = report;
            StateHasChanged();
        });
    }

    private async Task<bool> IsSupportAsync() =>
        Authentication is not null && (await authorization.AuthorizeAsync((await Authentication).User, Policies.PostCorrections)).Succeeded;

    private async Task RetryAsync()
    {
        // The button is only shown to Support; the role is checked again here, on the server.
        if (!await IsSupportAsync() || monitor.Mirror is not { } mirror)
        {
            snackbar.Add("Only Support staff may retry parked events.", Severity.Warning);
            return;
        }

        _retrying = true;
        try
        {
            var count = _report?.ParkedCount ?? 0;
            await mirror.ReplayParkedAsync(_leaving.Token);
            snackbar.Add($"Sending {count} parked event{(count == 1 ? "" : "s")} again; those Kafka still refuses are parked again.", Severity.Info);
        }
        finally
        {
            _retrying = false;
        }
    }

    // Enter in the account field reads the account back, as the button does.
    private Task ReconcileOnEnterAsync(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs args) =>
        args.Key == "Enter" && !_reconciling ? ReconcileAsync() : Task.CompletedTask;

    private async Task ReconcileAsync()
    {
        _reconcileError = null;
        _reconciliation = null;
        var id = _account?.Trim() ?? "";
        if (!AccountIds.IsValid(id))
        {
            _reconcileError = $"“{id}” is not an account id (e.g. ACC-100001).";
            return;
        }

        if (monitor.Mirror is not { } mirror)
        {
            _reconcileError = "The mirror is turned off.";
            return;
        }

        _reconciling = true;
        try
        {
            var report = await monitor.ReportAsync(_leaving.Token);
            _reconciliation = await mirror.ReconcileAsync(AccountIds.StreamOf(id), report.Status.LastMirroredPosition, report.ParkedPositions, _leaving.Token);
            if (_reconciliation.StoreEvents == 0)
            {
                _reconcileError = $"There is no account {id}.";
                _reconciliation = null;
            }
        }
        catch (MirrorUnavailableException ex)
        {
            _reconcileError = $"Kafka could not be read: {ex.Message}";
        }
        catch (EventStoreUnavailableException ex)
        {
            _reconcileError = ex.Message;
        }
        finally
        {
            _reconciling = false;
        }
    }

    private static string Verdict(ReconciliationReport report) =>
        report.InSync ? (report.NotYetMirrored.Count > 0 ? "In sync so far" : "In sync")
        : string.Join(" · ", new[]
        {
            report.Missing.Count > 0 ? "Missing" : null,
            report.Duplicated.Count > 0 ? "Duplicated" : null,
            report.OutOfOrder.Count > 0 ? "Out of order" : null,
            report.Unknown > 0 ? "Unknown messages" : null,
        }.OfType<string>());

    private static string Revisions(IReadOnlyList<long> revisions) =>
        string.Join(", ", revisions.Take(20).Select(r => r.ToString(CultureInfo.InvariantCulture))) + (revisions.Count > 20 ? $" … ({revisions.Count} in all)" : "");

    private static Color StateColor(MirrorState state) => state switch
    {
        MirrorState.Running => Color.Success,
        MirrorState.Retrying => Color.Warning,
        MirrorState.Stopped => Color.Default,
        _ => Color.Info,
    };

    private static string StateText(MirrorState state) => state switch
    {
        MirrorState.Running => "Running",
        MirrorState.Retrying => "Retrying",
        MirrorState.Stopped => "Stopped",
        _ => "Starting",
    };
}
