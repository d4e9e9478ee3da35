using AuditDashboard.Core.Export;
using AuditDashboard.Export;
using AuditDashboard.Integrity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace AuditDashboard.Components.Pages.Accounts.Export;

/// <summary>
/// Chooses an export's format, view and range, then lets the browser download the file from the export endpoint (so it
/// streams to disk) while this dialog shows the server's progress for that export id.
/// </summary>
public sealed partial class ExportDialog(
    ExportProgressRegistry registry,
    IJSRuntime js,
    NavigationManager navigation,
    IOptions<IntegrityOptions> integrity) : IDisposable
{
    // New for every start: the server refuses an export id the access log already holds, so a retry needs its own.
    private Guid _exportId;
    private ExportFormat _format = ExportFormat.Csv;
    private ReplayView _view = ReplayView.Recorded;
    private bool _allTime = true;
    private bool _proofs;
    private DateTime? _from;
    private DateTime? _to;

    // What the date fields hold as typed: a date the picker could not read leaves its date empty, but not the range.
    private string? _fromText;
    private string? _toText;
    private bool _starting;
    private bool _notStarted;
    private ExportProgress? _progress;
    private Timer? _poll;
    private string _user = "";
    private int _polls;
    private RangeChoice? _choice;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>
    /// The account as the page shows it, in a view: for the count of events in the chosen range (two searches by time,
    /// so a long account read a window at a time is not read whole).
    /// </summary>
    [Parameter, EditorRequired]
    public Func<ReplayView, Task<IReplaySource>> Replays { get; set; } = default!;

    /// <summary>The page's time view, the dialog's default.</summary>
    [Parameter]
    public ReplayView InitialView { get; set; }

    private ExportRange? Range => Choice.Range;

    private string? RangeError => Choice.Error;

    private long InRange => Choice.Count ?? 0;

    // The range and its error follow from the choices, worked out once per change of them, not per render; its count
    // follows a moment later (it reads the account's marks).
    private RangeChoice Choice
    {
        get
        {
            var key = (_allTime, _fromText ?? Day(_from), _toText ?? Day(_to), _view);
            if (_choice is { } known && known.Key == key)
                return known;

            var errors = new Dictionary<string, string[]>();
            var range = _allTime ? ExportRange.All : ExportRange.Parse(key.Item2, key.Item3, errors);
            var error = errors.Count == 0 ? null : string.Join(" ", errors.Select(e => $"{FieldName(e.Key)}: {string.Join(" ", e.Value)}"));
            var choice = _choice = new RangeChoice(key, range, error, Count: null);
            if (range is not null)
                _ = CountAsync(choice);
            return choice;
        }
    }

    private async Task CountAsync(RangeChoice choice)
    {
        RangeChoice counted;
        try
        {
            var replay = await Replays(choice.Key.View);
            counted = choice with { Count = await choice.Range!.CountInAsync(replay) };
        }
        catch (EventStoreUnavailableException ex)
        {
            counted = choice with { Error = $"The event store does not answer, so the range cannot be counted: {ex.Message}" };
        }

        // A later choice wins over this one.
        if (ReferenceEquals(_choice, choice))
        {
            _choice = counted;
            StateHasChanged();
        }
    }

    /// <summary>Proofs are offered only where the ledger sealer runs: without it there is no seal to prove against.</summary>
    private bool SealingEnabled => integrity.Value.Enabled;

    private bool PdfTooLarge => _format == ExportFormat.Pdf && InRange > ExportFormats.PdfMaxEvents;

    private bool CanExport => RangeError is null && Choice.Count is not null && !PdfTooLarge;

    protected override async Task OnInitializedAsync()
    {
        _view = InitialView;
        if (Authentication is not null)
            _user = (await Authentication).User.Identity?.Name ?? "";
    }

    private static string FieldName(string key) => key == "from" ? "From" : "To";

    private static string? Day(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double Percent(ExportProgress progress) => progress.Total == 0 ? 100 : 100.0 * progress.Read / progress.Total;

    private async Task StartAsync()
    {
        if (!CanExport || Range is not { } range)
            return;
        _starting = true;
        _exportId = Guid.NewGuid();
        var query = new Dictionary<string, object?>
        {
            ["format"] = _format.Extension(),
            ["view"] = _view == ReplayView.Corrected ? "corrected" : "recorded",
            ["from"] = range.From is null ? null : Choice.Key.From?.Trim(),
            ["to"] = range.To is null ? null : Choice.Key.To?.Trim(),
            ["exportId"] = _exportId.ToString("D"),
            ["proofs"] = _proofs && SealingEnabled ? "true" : null,
        };
        var url = navigation.GetUriWithQueryParameters(navigation.ToAbsoluteUri($"api/accounts/{Uri.EscapeDataString(AccountId)}/export").ToString(), query);
        await js.InvokeVoidAsync("auditDashboard.download", url);
        _poll = new Timer(_ => _ = InvokeAsync(Poll), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    private void Poll()
    {
        _polls++;
        _progress = registry.Find(_exportId, _user);
        if (_progress?.Finished is not null || (_progress is null && _polls > 60))
        {
            _notStarted = _progress is null;
            _poll?.Dispose();
            _poll = null;
        }

        StateHasChanged();
    }

    /// <summary>Back to the choices after an export that failed or did not start; the next start gets a new export id.</summary>
    private void Retry()
    {
        _poll?.Dispose();
        _poll = null;
        _progress = null;
        _notStarted = false;
        _starting = false;
        _polls = 0;
    }

    private bool CanRetry => _notStarted || _progress?.Finished is { Outcome: not ExportOutcome.Completed };

    private void Cancel() => Dialog.Cancel();

    private void Close() => Dialog.Close(DialogResult.Ok(_progress?.Finished));

    public void Dispose() => _poll?.Dispose();

    private sealed record RangeChoice((bool AllTime, string? From, string? To, ReplayView View) Key, ExportRange? Range, string? Error, long? Count);
}
