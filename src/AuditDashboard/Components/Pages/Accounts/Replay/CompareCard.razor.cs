namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// Compares the account at two revisions or moments: the fields that differ, and the events between (the first hundred
/// listed). Starts on the last ten events; a bad entry keeps the last valid comparison, said to be the last valid one,
/// with the message under its field; two bad entries leave nothing to compare.
/// </summary>
public sealed partial class CompareCard
{
    private const int MaxListed = 100;
    private string? _fromText;
    private string? _toText;
    private string? _fromError;
    private string? _toError;
    private ReplayPoint? _from;
    private ReplayPoint? _to;
    private IReadOnlyList<FieldChange> _changes = [];
    private IReadOnlyList<TimelineEntry> _between = [];
    private int _betweenCount;

    // True while the comparison shown is an earlier one: a field holds an entry that cannot be used.
    private bool _stale;
    private IReplaySource? _compared;

    // Counts the comparisons begun: one that finishes after a newer one began is dropped.
    private int _generation;
    private bool _changed = true;

    [Parameter, EditorRequired]
    public IReplaySource Replay { get; set; } = default!;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    // The page re-renders on every replay step; this card only when its inputs or the history change.
    protected override bool ShouldRender() => _changed;

    protected override void OnAfterRender(bool firstRender) => _changed = false;

    protected override async Task OnParametersSetAsync()
    {
        if (ReferenceEquals(_compared, Replay))
            return;
        _changed = true;
        _compared = Replay;
        if (_fromText is null && _toText is null && Replay.Count > 0)
        {
            _fromText = Replay.RevisionAt(Math.Max(0, Replay.Count - 11)).ToString(CultureInfo.InvariantCulture);
            _toText = Replay.RevisionAt(Replay.Count - 1).ToString(CultureInfo.InvariantCulture);
        }

        await ComputeAsync();
    }

    private async Task FromChanged(string? text)
    {
        _fromText = text;
        await ComputeAsync();
    }

    private async Task ToChanged(string? text)
    {
        _toText = text;
        await ComputeAsync();
    }

    private async Task ComputeAsync()
    {
        _changed = true;
        var generation = ++_generation;
        var replay = Replay;
        ReplayPoint? from, to;
        string? fromError, toError;
        IReadOnlyList<TimelineEntry> between = [];
        try
        {
            (from, fromError) = await ResolveAsync(replay, _fromText);
            (to, toError) = await ResolveAsync(replay, _toText);
            if (from is not null && to is not null)
                between = await replay.BetweenAsync(from.Index, to.Index, MaxListed);
        }
        catch (EventStoreUnavailableException ex)
        {
            (from, to, fromError, toError) = (null, null, $"The event store does not answer: {ex.Message}", null);
        }

        if (generation != _generation)
            return;
        (_fromError, _toError) = (fromError, toError);

        // A bad entry keeps the last valid comparison on screen, said to be stale, with the message under the field; two
        // bad entries compare nothing.
        if (from is null && to is null)
        {
            (_from, _to, _changes, _between, _betweenCount, _stale) = (null, null, [], [], 0, false);
            return;
        }

        if (from is null || to is null)
        {
            _stale = _from is not null;
            return;
        }

        (_from, _to, _stale) = (from, to, false);
        _changes = StateDiff.Between(from.State, to.State);
        _between = between;
        _betweenCount = Math.Abs(to.Index - from.Index);
        _changed = true;
    }

    private async Task<(ReplayPoint? Point, string? Error)> ResolveAsync(IReplaySource replay, string? text)
    {
        var value = text?.Trim() ?? "";
        // A whole number, with a sign or not, is meant as a revision.
        if (value.Length > 0 && value.TrimStart('-', '+') is { Length: > 0 } digits && digits.Length >= value.Length - 1 && digits.All(char.IsAsciiDigit))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var revision) && replay.IndexOfRevision(revision) is { } index)
                return (await replay.AtAsync(index), null);
            return (null, replay.Count == 0 ? "The account has no events." : $"Revisions go from {replay.RevisionAt(0)} to {replay.RevisionAt(replay.Count - 1)}.");
        }

        if (!Moments.TryParse(value, Clock.IsReported ? Clock.Zone : TimeZoneInfo.Utc, TimeProvider.System.GetUtcNow(), out var moment, out var message))
            return (null, message);

        return (await replay.AtAsync(await replay.IndexAtTimeAsync(moment)), null);
    }

    private static string Describe(ReplayPoint point) => point.Entry is { } e ? $"rev {e.Revision}" : "before the account existed";
}
