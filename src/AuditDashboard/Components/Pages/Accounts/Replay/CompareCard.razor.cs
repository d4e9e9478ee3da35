namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// Compares the account at two revisions or moments: the fields that differ, and the events between (the first hundred
/// listed). Starts on the last ten events; a bad entry keeps the last valid comparison, with the message under its field.
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
    private AccountReplay? _compared;
    private bool _changed = true;

    [Parameter, EditorRequired]
    public AccountReplay Replay { get; set; } = default!;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    // The page re-renders on every replay step; this card only when its inputs or the history change.
    protected override bool ShouldRender() => _changed;

    protected override void OnAfterRender(bool firstRender) => _changed = false;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_compared, Replay))
            return;
        _changed = true;
        _compared = Replay;
        if (_fromText is null && _toText is null && Replay.Count > 0)
        {
            _fromText = Replay.EntryAt(Math.Max(0, Replay.Count - 11)).Revision.ToString(CultureInfo.InvariantCulture);
            _toText = Replay.EntryAt(Replay.Count - 1).Revision.ToString(CultureInfo.InvariantCulture);
        }

        Compute();
    }

    private void FromChanged(string? text)
    {
        _fromText = text;
        Compute();
    }

    private void ToChanged(string? text)
    {
        _toText = text;
        Compute();
    }

    private void Compute()
    {
        _changed = true;
        var from = Resolve(_fromText, out _fromError);
        var to = Resolve(_toText, out _toError);

        // A bad entry keeps the last valid comparison on screen, with the message under the field.
        if (from is null || to is null)
            return;
        _from = from;
        _to = to;
        _changes = StateDiff.Between(from.State, to.State);
        _between = Replay.Between(from.Index, to.Index);
    }

    private ReplayPoint? Resolve(string? text, out string? error)
    {
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && Replay.IndexOfRevision(revision) is { } index)
                return Replay.At(index);
            error = Replay.Count == 0 ? "The account has no events." : $"Revisions go from {Replay.EntryAt(0).Revision} to {Replay.EntryAt(Replay.Count - 1).Revision}.";
            return null;
        }

        if (!Moments.TryParse(value, Clock.IsReported ? Clock.Zone : TimeZoneInfo.Utc, out var moment, out var message))
        {
            error = message;
            return null;
        }

        return Replay.AtTime(moment);
    }

    private static string Describe(ReplayPoint point) => point.Entry is { } e ? $"rev {e.Revision}" : "before the account existed";
}
