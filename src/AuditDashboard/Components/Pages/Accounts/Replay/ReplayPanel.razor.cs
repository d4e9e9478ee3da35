namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// Moves through an account's history: a slider over its events (drag, click, arrow keys, Page Up/Down, Home/End),
/// step and play controls, a typed "as of" moment, and the choice of time view.
/// </summary>
public sealed partial class ReplayPanel : IAsyncDisposable
{
    private static readonly int[] Speeds = [1, 5, 20, 100];
    private string? _asOfText;
    private string? _asOfError;

    // The position and view the typed moment belongs to: once either moves, the moment no longer says what is shown.
    private (int Index, ReplayView View) _asOfAt;
    private bool _playing;
    private int _speed = 5;
    private CancellationTokenSource? _play;

    [Parameter, EditorRequired]
    public IReplaySource Replay { get; set; } = default!;

    /// <summary>The position shown: an index of the replay, -1 before the account existed.</summary>
    [Parameter]
    public int Index { get; set; }

    [Parameter]
    public EventCallback<int> IndexChanged { get; set; }

    [Parameter]
    public ReplayView View { get; set; }

    [Parameter]
    public EventCallback<ReplayView> ViewChanged { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    /// <summary>The state at <see cref="Index"/>, which the slider announces to a screen reader; null while it is read.</summary>
    [Parameter]
    public ReplayPoint? Point { get; set; }

    // The slider's name, and what a screen reader announces for its value: the position in words, not its index.
    private Dictionary<string, object> SliderAttributes => new()
    {
        ["aria-label"] = "Replay position",
        ["aria-valuetext"] = ValueText,
        ["data-testid"] = "replay-slider",
    };

    private string ValueText => Index < 0 || Point is not { Index: var shown, Entry: { } entry, State: var state } || shown != Index
        ? PositionText
        : $"revision {Figures.Count(entry.Revision)}, {Clock.Format(View == ReplayView.Corrected ? entry.EffectiveAt : entry.Recorded)}, "
            + $"balance {(state.Currency is { } currency ? Currencies.Format(state.Balance, currency) : state.Balance.ToString("N2", CultureInfo.InvariantCulture))}";

    private string PositionText => Index < 0
        ? "before the account existed"
        : $"revision {Figures.Count(Replay.RevisionAt(Index))} of {Figures.Count(Replay.LastRevision)}";

    // Which order the slider follows: in the corrected view a correction sits where it takes effect, so revisions are
    // no longer in order along it.
    private string OrderText => View == ReplayView.Corrected
        ? "The slider follows when events take effect: each correction sits where it applies."
        : "The slider follows the order events were recorded.";

    private string AsOfHelp => Clock.IsReported
        ? $"A moment in {Clock.ZoneName}, or with an offset (…+01:00, …Z); Enter to go"
        : "Your browser reported no time zone: read as UTC unless you add an offset";

    protected override void OnParametersSet()
    {
        if (_asOfText is not null && _asOfAt != (Index, View))
            (_asOfText, _asOfError) = (null, null);
    }

    private async Task MoveTo(int index)
    {
        // -1, the slider's first stop, is the account before its first event.
        var clamped = Math.Clamp(index, -1, Replay.Count - 1);
        _asOfError = null;
        if (clamped != Index)
            await IndexChanged.InvokeAsync(clamped);
    }

    private async Task AsOfChanged(string? text)
    {
        _asOfText = text;
        _asOfAt = (Index, View);
        await ApplyAsOfAsync();
    }

    // Enter applies the moment again even when the text did not change (the change event would not fire).
    private Task AsOfKeyUp(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs args) =>
        args.Key == "Enter" ? ApplyAsOfAsync() : Task.CompletedTask;

    private async Task ApplyAsOfAsync()
    {
        if (string.IsNullOrWhiteSpace(_asOfText))
        {
            _asOfError = null;
            return;
        }

        var zone = Clock.IsReported ? Clock.Zone : TimeZoneInfo.Utc;
        if (!Moments.TryParse(_asOfText, zone, TimeProvider.System.GetUtcNow(), out var moment, out var error))
        {
            // The last valid view stays; only the message changes.
            _asOfError = error;
            return;
        }

        _asOfError = null;
        await StopAsync();
        var index = await Replay.IndexAtTimeAsync(moment);
        _asOfAt = (index, View);
        if (index != Index)
            await IndexChanged.InvokeAsync(index);
    }

    private Task SpeedChanged(int speed)
    {
        _speed = speed;
        return Task.CompletedTask;
    }

    private async Task TogglePlayAsync()
    {
        if (_playing)
        {
            await StopAsync();
            return;
        }

        if (Index >= Replay.Count - 1)
            await IndexChanged.InvokeAsync(0);

        _playing = true;
        _play = new CancellationTokenSource();
        _ = PlayAsync(_play.Token);
    }

    private async Task PlayAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / _speed));
            var speed = _speed;
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (speed != _speed)
                {
                    speed = _speed;
                    timer.Period = TimeSpan.FromMilliseconds(1000.0 / speed);
                }

                var atEnd = false;
                await InvokeAsync(async () =>
                {
                    atEnd = Index >= Replay.Count - 1;
                    if (!atEnd)
                        await IndexChanged.InvokeAsync(Index + 1);
                });
                if (atEnd)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Surface the failure on the page's error boundary instead of leaving the button stuck on "Pause".
            _playing = false;
            await DispatchExceptionAsync(ex);
            return;
        }

        _playing = false;
        await InvokeAsync(StateHasChanged);
    }

    private async Task StopAsync()
    {
        _playing = false;
        if (_play is not null)
        {
            await _play.CancelAsync();
            _play.Dispose();
            _play = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
