using AuditDashboard.Mirror;
using Microsoft.JSInterop;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>
/// An account's events, newest first, filtered by type, actor or warning. Only one page of rows is ever rendered,
/// so an account with 100,000 events stays responsive; the filter runs over the in-memory timeline. An account too long
/// to hold (<see cref="Window"/>) is read a page at a time, by revision, without filters or corrections' links.
/// </summary>
public sealed partial class Timeline(IJSRuntime js)
{
    private readonly HashSet<long> _expanded = [];
    private readonly SortedSet<string> _typeSet = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _actorSet = new(StringComparer.Ordinal);

    // What reversed or corrected each event, and which proposals wait: asked of the account's own index, as of the snapshot shown.
    private CorrectionLinks? _links;
    private MudTable<TimelineEntry>? _table;
    private List<string> _types = [];
    private List<string> _knownTypes = [];
    private string? _actor;
    private bool _flaggedOnly;
    private bool _oldestFirst;
    private int _indexed;
    private int[] _matches = [];
    private TimelineSnapshot? _shown;

    // The possible duplicates among the rows: of the whole timeline held in memory, or of the page of a long account shown.
    private PossibleDuplicates _duplicates = new(PossibleDuplicates.DefaultWindow);

    /// <summary>The account's timeline, when it is held in memory.</summary>
    [Parameter]
    public TimelineSnapshot? Snapshot { get; set; }

    /// <summary>Instead of <see cref="Snapshot"/>: the replay of an account too long to hold, whose pages are read when shown.</summary>
    [Parameter]
    public IReplaySource? Window { get; set; }

    private IReplaySource? _shownWindow;

    /// <summary>
    /// With <see cref="Window"/>: how the account's corrections point at each other (see
    /// <see cref="AccountHistory.CommandLinksAsync"/>), so its rows say what reversed them and offer to reverse the rest;
    /// null: not known, nothing offered.
    /// </summary>
    [Parameter]
    public CorrectionLinks? WindowLinks { get; set; }

    // Why the last page of a long account could not be read, shown in place of the note about it.
    private string? _windowError;

    // Every event, newest first unless asked otherwise: no filter runs over an account read a page at a time.
    private int TotalCount => Window?.Count ?? Snapshot!.Count;

    /// <summary>The revision the replay shows: highlighted, and its page brought into view.</summary>
    [Parameter]
    public long? SelectedRevision { get; set; }

    [Parameter]
    public EventCallback<long> SelectedRevisionChanged { get; set; }

    /// <summary>Whether the viewer may post corrections (the Support role): shows the reverse action on money-moving events.</summary>
    [Parameter]
    public bool CanCorrect { get; set; }

    [Parameter]
    public EventCallback<TimelineEntry> ReverseRequested { get; set; }

    /// <summary>Asks to reverse a possible duplicate (the first entry), saying which event it repeats (the second).</summary>
    [Parameter]
    public EventCallback<(TimelineEntry Duplicate, TimelineEntry Original)> ReverseDuplicateRequested { get; set; }

    /// <summary>How far apart two postings of one payment may be recorded and still be flagged as a possible duplicate.</summary>
    [Parameter]
    public TimeSpan DuplicateWindow { get; set; } = PossibleDuplicates.DefaultWindow;

    /// <summary>How many events before a long account's page are read to find duplicates of its first rows, at most.</summary>
    private const int DuplicateLookBack = 1_000;

    /// <summary>The Kafka mirror's progress: each event then shows whether it is in Kafka. Null: no such column.</summary>
    [Parameter]
    public MirrorReport? Mirror { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    private long? _revealed;

    protected override async Task OnParametersSetAsync()
    {
        if (Window is not null)
        {
            if (!ReferenceEquals(_shownWindow, Window))
            {
                _shownWindow = Window;
                if (_table is not null)
                    await _table.ReloadServerData();
            }

            await RevealSelectedAsync();
            return;
        }

        ArgumentNullException.ThrowIfNull(Snapshot);
        if (ReferenceEquals(_shown, Snapshot))
        {
            await RevealSelectedAsync();
            return;
        }

        if ((_shown is not null && Snapshot.Count < _indexed) || _duplicates.Window != DuplicateWindow)
        {
            _indexed = 0;
            _typeSet.Clear();
            _actorSet.Clear();
            _duplicates = new PossibleDuplicates(DuplicateWindow);
        }

        _shown = Snapshot;
        _links = Snapshot.Links;
        IndexNewEntries();
        Filter();
        if (_table is not null)
            await _table.ReloadServerData();
        await RevealSelectedAsync();
    }

    /// <summary>Turns to the page holding the selected revision, when the filters show it.</summary>
    private async Task RevealSelectedAsync()
    {
        if (SelectedRevision is not { } revision)
        {
            _revealed = null;
            return;
        }

        if (revision == _revealed)
            return;

        // Before the table exists (the first render), it simply starts on the right page.
        if (_table is null)
        {
            if (PageOf(revision, RowsPerPage) is { } first)
            {
                _page = first;
                _revealed = revision;
                _scrollPending = true;
            }

            return;
        }

        _revealed = revision;
        if (PageOf(revision, _table.RowsPerPage) is not { } page)
            return;
        if (page != _table.CurrentPage)
        {
            _table.NavigateTo(page);
            await _table.ReloadServerData();
        }

        _scrollPending = true;
    }

    private bool _scrollPending;

    private const int RowsPerPage = 50;

    // The table's page, bound both ways: set before the first render so a selected revision starts in view.
    private int _page;

    /// <summary>The page (of <paramref name="rowsPerPage"/> rows) that holds <paramref name="revision"/> under the filters, or null when they hide it.</summary>
    private int? PageOf(long revision, int rowsPerPage)
    {
        if (Window is { } window)
        {
            if (window.IndexOfRevision(revision) is not { } index)
                return null;
            return (_oldestFirst ? index : window.Count - 1 - index) / rowsPerPage;
        }

        var position = Array.BinarySearch(_matches, IndexOfRevision(revision), _oldestFirst ? Comparer<int>.Default : Comparer<int>.Create((a, b) => b.CompareTo(a)));
        return position < 0 ? null : position / rowsPerPage;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await HiddenColumnsAsync() is { Length: > 0 } hidden)
        {
            _hidden.UnionWith(hidden.Where(HideableColumns.Contains));
            StateHasChanged();
        }

        if (!_scrollPending || SelectedRevision is not { } revision)
            return;
        _scrollPending = false;
        try
        {
            await js.InvokeVoidAsync("auditDashboard.revealRevision", revision);
        }
        catch (JSDisconnectedException)
        {
            // The viewer left; nothing to scroll.
        }
    }

    // The columns this browser was asked to hide before; none when it keeps nothing.
    private async Task<string[]?> HiddenColumnsAsync()
    {
        try
        {
            return await js.InvokeAsync<string[]?>("auditDashboard.hiddenColumns");
        }
        catch (Exception ex) when (BrowserCalls.Failed(ex))
        {
            // Gone, or the browser could not say: every column shows.
            return null;
        }
    }

    private int IndexOfRevision(long revision) => TimelineSearch.IndexOfRevision(Snapshot!, revision);

    private Task RowClicked(TableRowClickEventArgs<TimelineEntry> args) =>
        args.Item is { } entry ? SelectedRevisionChanged.InvokeAsync(entry.Revision) : Task.CompletedTask;

    private void IndexNewEntries()
    {
        for (; _indexed < Snapshot!.Count; _indexed++)
        {
            var entry = Snapshot[_indexed];
            _duplicates.Add(entry);
            _typeSet.Add(entry.EventType);
            if (entry.Metadata?.Actor is { } actor)
                _actorSet.Add(actor);
        }

        _knownTypes = [.. _typeSet];
    }

    private void Filter()
    {
        var matches = new List<int>();
        var types = _types.Count == 0 ? null : _types.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < Snapshot!.Count; i++)
        {
            var e = Snapshot[i];
            if (types is not null && !types.Contains(e.EventType))
                continue;
            if (_actor is not null && !string.Equals(e.Metadata?.Actor, _actor, StringComparison.Ordinal))
                continue;
            if (_flaggedOnly && !IsFlagged(e))
                continue;
            matches.Add(i);
        }

        if (!_oldestFirst)
            matches.Reverse();
        _matches = [.. matches];
    }

    private async Task<TableData<TimelineEntry>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        if (Window is { } window)
            return await LoadWindowAsync(window, state, cancellationToken);
        var snapshot = Snapshot!;
        var items = _matches.Skip(state.Page * state.PageSize).Take(state.PageSize).Select(i => snapshot[i]).ToList();
        return new TableData<TimelineEntry> { Items = items, TotalItems = _matches.Length };
    }

    // One page of a long account, read by revision: newest first, page 0 ends at the last event.
    private async Task<TableData<TimelineEntry>> LoadWindowAsync(IReplaySource window, TableState state, CancellationToken cancellationToken)
    {
        var count = window.Count;
        var skip = (long)state.Page * state.PageSize;
        var first = _oldestFirst ? skip : Math.Max(0, count - skip - state.PageSize);
        var last = _oldestFirst ? Math.Min(count, skip + state.PageSize) - 1 : count - 1 - skip;
        List<TimelineEntry> items;
        try
        {
            items = first > last ? [] : (await window.BetweenAsync((int)first - 1, (int)last, state.PageSize, cancellationToken)).ToList();
            _duplicates = PossibleDuplicates.Among(await EarlierWithinAsync(window, (int)first, items, cancellationToken), items, DuplicateWindow);
            _windowError = null;
        }
        catch (EventStoreUnavailableException ex)
        {
            _windowError = $"The event store does not answer, so this page of events cannot be read: {ex.Message} Turn the page again to retry.";
            items = [];
        }

        if (!_oldestFirst)
            items.Reverse();
        return new TableData<TimelineEntry> { Items = items, TotalItems = count };
    }

    // The events just before a long account's page recorded within the duplicate window of its first row (at most
    // DuplicateLookBack of them), oldest first: what the page's first rows may repeat.
    private async Task<List<TimelineEntry>> EarlierWithinAsync(IReplaySource window, int first, List<TimelineEntry> page, CancellationToken cancellationToken)
    {
        var earlier = new List<TimelineEntry>();

        // Only a movement recorded within the window of the page's first row can repeat an event before the page.
        if (page.Count == 0 || !page.Any(e => e.Event is FundsDeposited or FundsWithdrawn && e.Recorded - page[0].Recorded <= DuplicateWindow))
            return earlier;
        var since = page[0].Recorded - DuplicateWindow;
        const int chunk = 100;
        for (var to = first - 1; to >= 0 && earlier.Count < DuplicateLookBack; to -= chunk)
        {
            var read = await window.BetweenAsync(Math.Max(-1, to - chunk), to, chunk, cancellationToken);
            earlier.InsertRange(0, read);
            if (read.Count == 0 || read[0].Recorded < since)
                break;
        }

        return earlier;
    }

    private async Task Refilter()
    {
        // The viewer turned to the first page of the new order or filter: the selection shown so far is not revealed
        // again there at the next render (a dialog opening, the address written), only a new one is.
        _revealed = SelectedRevision;
        if (Window is null)
            Filter();
        if (_table is not null)
        {
            _table.NavigateTo(0);
            await _table.ReloadServerData();
        }
    }

    private Task TypesChanged(IEnumerable<string>? types)
    {
        _types = types?.ToList() ?? [];
        return Refilter();
    }

    private Task ActorChanged(string? actor)
    {
        _actor = string.IsNullOrWhiteSpace(actor) ? null : actor;
        return Refilter();
    }

    private Task FlaggedChanged(bool value)
    {
        _flaggedOnly = value;
        return Refilter();
    }

    private Task OrderChanged(bool value)
    {
        _oldestFirst = value;
        return Refilter();
    }

    private Task<IEnumerable<string>> SearchActors(string? text, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<string>>(string.IsNullOrWhiteSpace(text)
            ? _actorSet.Take(50).ToList()
            : _actorSet.Where(a => a.Contains(text, StringComparison.OrdinalIgnoreCase)).Take(50).ToList());

    private static string TypesText(IReadOnlyList<string> types) => types.Count switch
    {
        0 => "",
        1 => types[0],
        _ => $"{types.Count} types",
    };

    private CorrectionLinks Links => Window is not null ? WindowLinks ?? NoLinks : _links ??= Snapshot?.Links ?? NoLinks;

    private static readonly CorrectionLinks NoLinks = CorrectionLinks.Of([]);

    private long? CorrectedRevisionOf(TimelineEntry entry) => Links.CorrectedBy(entry)?.Revision;

    // An account read a page at a time tells whether an event was reversed already through its window's links, once known.
    private bool IsReversible(TimelineEntry entry) => (Window is null || WindowLinks is not null) && Links.MayReverse(entry);

    private bool IsExpanded(TimelineEntry entry) => _expanded.Contains(entry.Revision);

    private void Toggle(TimelineEntry entry)
    {
        if (!_expanded.Remove(entry.Revision))
            _expanded.Add(entry.Revision);
    }

    /// <summary>
    /// The earlier event <paramref name="entry"/> may repeat, when it looks like a duplicate: not once it was reversed
    /// itself (its row says by what), and not of an event that was reversed (a payment reversed and posted again is no
    /// duplicate of the reversed one).
    /// </summary>
    private TimelineEntry? DuplicateOf(TimelineEntry entry)
    {
        var originals = _duplicates.OriginalsOf(entry.Revision);
        if (originals.Count == 0 || Reversed(entry))
            return null;
        return originals.FirstOrDefault(original => !Reversed(original));
    }

    private bool Reversed(TimelineEntry entry) => Links.ReversalOf(entry.Record.EventId) is not null;

    private bool IsFlagged(TimelineEntry entry) => entry.Warning != EntryWarning.None || DuplicateOf(entry) is not null;

    private static string DuplicateNote(TimelineEntry duplicate, TimelineEntry original) =>
        $"Revision {original.Revision} carries the same reference, amount and currency, recorded {Figures.Span(duplicate.Recorded - original.Recorded)} earlier.";

    /// <summary>The columns a viewer may hide (this browser keeps the choice); the time, revision and type always show.</summary>
    private static readonly string[] HideableColumns = ["Amount", "Balance after", "Actor", "Reason"];

    private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);

    private bool Shown(string column) => !_hidden.Contains(column);

    // The details row spans every column shown: expand, recorded, revision, (Kafka), type and the hideable ones.
    private int ColumnCount => 4 + (Mirror is null ? 0 : 1) + HideableColumns.Count(Shown);

    private async Task ToggleColumnAsync(string column)
    {
        if (!_hidden.Remove(column))
            _hidden.Add(column);
        try
        {
            // One argument, the list (not one argument per column).
            await js.InvokeVoidAsync("auditDashboard.saveHiddenColumns", [_hidden.ToArray()]);
        }
        catch (Exception ex) when (BrowserCalls.Failed(ex))
        {
            // The viewer left, or the browser keeps nothing: the choice holds for this page.
        }
    }

    private string RowClass(TimelineEntry entry, int index) =>
        (IsFlagged(entry) ? "flagged-row " : "")
        + (IsExpanded(entry) ? "expanded-row " : "")
        + (entry.Revision == SelectedRevision ? "selected-row" : "");

    private static string WarningLabel(EntryWarning warning) => warning switch
    {
        EntryWarning.UnknownType => "Unknown type",
        EntryWarning.Unreadable => "Unreadable",
        EntryWarning.Inconsistent => "Not applied",
        EntryWarning.MetadataUnreadable => "No metadata",
        _ => "",
    };

    private static Color WarningColor(EntryWarning warning) => warning switch
    {
        EntryWarning.Unreadable => Color.Error,
        EntryWarning.Inconsistent => Color.Error,
        _ => Color.Warning,
    };
}
