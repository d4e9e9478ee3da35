using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AuditDashboard.Core.Corrections;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Replay;

namespace AuditDashboard.Core.Accounts;

/// <summary>
/// Any moment of an account's recorded history without loading the account: the nearest mark the account directory
/// kept at or before it (see <see cref="AccountDirectory.MarkInterval"/>), then a fold of the few events from there,
/// read from the store by revision. The cost depends on the mark interval, not on the account's length, and nothing
/// is kept in memory. Gives the same entries, states included, as a timeline folded from the first event; when the
/// account's timeline is loaded anyway (someone has it open), it answers from there.
/// </summary>
public sealed class AccountHistory
{
    /// <summary>How many events a search by time reads at once (it stops at the first event after the moment).</summary>
    public const int DefaultTimeSearchPage = 128;

    // How many openings or correction landings are kept at most (about 100 bytes each).
    private const int KeptFacts = 100_000;

    // How far a compact snapshot folds on from its last entry instead of starting at a mark: about a mark interval.
    private const int CompactReach = AccountDirectory.DefaultMarkInterval;

    private readonly IEventStore _store;
    private readonly IReadModelStore _readModels;
    private readonly AccountTimelines? _loaded;
    private readonly int _timeSearchPage;

    // Facts of the recorded history that never change once known (recorded times never do, and later events are recorded
    // later): where an account opened, and after which event a correction takes effect. A few per account; bounded.
    private readonly ConcurrentDictionary<string, long> _openings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string AccountId, long Revision), long> _landings = new();

    /// <param name="loaded">The loaded timelines to answer from when they hold the account; null: always the marks.</param>
    public AccountHistory(IEventStore store, IReadModelStore readModels, AccountTimelines? loaded = null, int timeSearchPage = DefaultTimeSearchPage)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(readModels);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSearchPage, 1);
        _store = store;
        _readModels = readModels;
        _loaded = loaded;
        _timeSearchPage = timeSearchPage;
    }

    /// <summary>The account's last revision, or null when the id is malformed or the account has no events.</summary>
    public Task<long?> LastRevisionAsync(string? accountId, CancellationToken cancellationToken = default) =>
        AccountIds.IsValid(accountId)
            ? _store.GetLastRevisionAsync(AccountIds.StreamOf(accountId), cancellationToken)
            : Task.FromResult<long?>(null);

    /// <summary>The event at <paramref name="revision"/> with the state after it, or null when the account has no such event.</summary>
    public async Task<TimelineEntry?> AtRevisionAsync(string accountId, long revision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        if (await LoadedAsync(accountId, cancellationToken) is { } snapshot)
            return TimelineSearch.IndexOfRevision(snapshot, revision) is var index and >= 0 ? snapshot[index] : null;

        var start = await StartBeforeAsync(accountId, revision, cancellationToken);
        TimelineEntry? found = null;
        await foreach (var entry in FoldAsync(accountId, start, revision - Next(start) + 1, cancellationToken))
        {
            if (entry.Revision == revision)
                found = entry;
        }

        return found;
    }

    /// <summary>
    /// The last event recorded at or before <paramref name="moment"/> with the state after it, or null when the account
    /// had no event yet.
    /// </summary>
    public async Task<TimelineEntry?> AtTimeAsync(string accountId, DateTimeOffset moment, CancellationToken cancellationToken = default)
    {
        if (await LoadedAsync(accountId, cancellationToken) is { } snapshot)
            return AccountReplay.Of(accountId, snapshot, ReplayView.Recorded).AtTime(moment).Entry;

        var mark = await _readModels.FindMarkAtTimeAsync(accountId, moment, cancellationToken);
        TimelineEntry? found = null;

        // Recorded times never go back within a stream: the first event after the moment ends the search. Read in short
        // pages, so a search that ends early reads little more than it folds.
        var page = _timeSearchPage;
        while (true)
        {
            var read = 0;
            var from = found?.StateAfter ?? mark ?? AccountState.Initial(accountId);
            await foreach (var entry in FoldAsync(accountId, from, page, cancellationToken))
            {
                read++;
                if (entry.Recorded > moment)
                    return found ?? await MarkedEntryAsync(accountId, mark, cancellationToken);
                found = entry;
            }

            if (read < page)
                return found ?? await MarkedEntryAsync(accountId, mark, cancellationToken);
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> entries from revision <paramref name="fromRevision"/> on, oldest first, each with the
    /// state after it.
    /// </summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string accountId, long fromRevision, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (await LoadedAsync(accountId, cancellationToken) is { } snapshot)
        {
            var first = TimelineSearch.IndexOfRevision(snapshot, fromRevision);
            var slice = new List<TimelineEntry>(first < 0 ? 0 : Math.Min(count, snapshot.Count - first));
            for (var i = first; i >= 0 && i < snapshot.Count && slice.Count < count; i++)
                slice.Add(snapshot[i]);
            return slice;
        }

        var entries = new List<TimelineEntry>(Math.Min(count, 1024));
        if (count == 0)
            return entries;
        var start = await StartBeforeAsync(accountId, fromRevision, cancellationToken);
        await foreach (var entry in FoldAsync(accountId, start, fromRevision - Next(start) + count, cancellationToken))
        {
            if (entry.Revision >= fromRevision)
                entries.Add(entry);
        }

        return entries;
    }

    /// <summary>The account's marks, oldest first: its state every so many events (see <see cref="AccountDirectory.MarkInterval"/>).</summary>
    public Task<IReadOnlyList<AccountState>> MarksAsync(string accountId, CancellationToken cancellationToken = default) =>
        _readModels.ReadMarksAsync(accountId, cancellationToken);

    /// <summary>
    /// The account's correcting events up to <paramref name="lastRevision"/> as stored, oldest first (a few, whatever the
    /// account's length; see <see cref="ReadKeptAsync"/>). Complete only once the directory has caught up.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadCorrectionsAsync(string accountId, long lastRevision, CancellationToken cancellationToken = default) =>
        await ReadKeptAsync(accountId, lastRevision, AccountEventTypes.Corrections, cancellationToken);

    /// <summary>
    /// The revision of the account's opening (the first event after which it is open), or <see cref="long.MaxValue"/>
    /// when <paramref name="latest"/>, its latest state, is not open: the first mark that is open bounds it, and the events
    /// since the mark before are read. Kept once found.
    /// </summary>
    public async Task<long> OpeningRevisionAsync(string accountId, AccountState latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latest);
        if (latest.Status == AccountStatus.NotOpened || latest.Revision is not { } last)
            return long.MaxValue;
        if (_openings.TryGetValue(accountId, out var known))
            return known;

        // Nearly every account opens with its first event.
        long opening;
        if (await ReadAsync(accountId, 0, 1, cancellationToken) is [{ StateAfter.Status: not AccountStatus.NotOpened }])
        {
            opening = 0;
        }
        else
        {
            var marks = await MarksAsync(accountId, cancellationToken);
            var firstOpen = marks.FirstOrDefault(m => m.Status != AccountStatus.NotOpened)?.Revision ?? last;
            var from = marks.LastOrDefault(m => m.Revision < firstOpen)?.Revision + 1 ?? 0;
            var entries = await ReadAsync(accountId, from, (int)(firstOpen - from + 1), cancellationToken);
            opening = entries.First(e => e.StateAfter.Status != AccountStatus.NotOpened).Revision;
        }

        Keep(_openings, accountId, opening);
        return opening;
    }

    /// <summary>
    /// The last revision, up to <paramref name="lastRevision"/>, that a correction at <paramref name="revision"/> taking
    /// effect at <paramref name="effectiveAt"/> follows in effective order (-1: it comes first): every event recorded
    /// before that time, and those recorded at that very time with a lower revision (recorded times never go back within
    /// a stream, so these are the revisions up to it). Kept once it lies before the last revision.
    /// </summary>
    public async Task<long> LandingOfAsync(string accountId, long revision, DateTimeOffset effectiveAt, long lastRevision, CancellationToken cancellationToken = default)
    {
        // Kept from a longer history: the same place, unless this history ends before it.
        if (_landings.TryGetValue((accountId, revision), out var known))
            return Math.Min(known, lastRevision);
        async Task<long> LastAtOrBeforeAsync(DateTimeOffset moment) =>
            await AtTimeAsync(accountId, moment, cancellationToken) is { } entry ? Math.Min(entry.Revision, lastRevision) : -1;

        var atOrBefore = await LastAtOrBeforeAsync(effectiveAt);
        var landing = atOrBefore < revision
            ? atOrBefore
            : Math.Max(await LastAtOrBeforeAsync(effectiveAt.AddTicks(-1)), Math.Min(atOrBefore, revision - 1));

        // Later events may still come before it only while it follows the last one.
        if (landing < lastRevision)
            Keep(_landings, (accountId, revision), landing);
        return landing;
    }

    /// <summary>
    /// How the account's corrections, proposals and decisions point at each other, up to its latest event, without
    /// reading the account: from the command events the read models keep, and those the store has recorded since the
    /// directory last wrote the account. For links only (what reversed or corrected an event, which proposals wait):
    /// the entries behind them carry no state of the account.
    /// </summary>
    public async Task<CorrectionLinks> CommandLinksAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (await LastRevisionAsync(accountId, cancellationToken) is not { } last)
            return CorrectionLinks.Of([]);
        var blank = AccountState.Initial(accountId);
        var kept = await ReadKeptAsync(accountId, last, AccountEventTypes.Commands, cancellationToken);
        return CorrectionIndex.Of(kept.Select(r => TimelineEntry.Next(blank, r))).AsOf(last);
    }

    // The account's events of these command types up to lastRevision, oldest first: those the read models keep whole
    // (written with the account's row, so up to its revision), then any the store has recorded since.
    private async Task<List<RecordedEvent>> ReadKeptAsync(string accountId, long lastRevision, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        var keptThrough = await KeptThroughAsync(accountId, lastRevision, cancellationToken);
        var found = (await _readModels.ReadAccountCommandEventsAsync(accountId, cancellationToken))
            .Where(r => r.Revision <= keptThrough && types.Contains(r.EventType))
            .ToList();
        if (keptThrough < lastRevision)
        {
            await foreach (var record in _store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, keptThrough + 1, lastRevision - keptThrough, cancellationToken))
            {
                if (types.Contains(record.EventType))
                    found.Add(record);
            }
        }

        return found;
    }

    // The last revision of the account the read models hold everything of (its row's), at most lastRevision.
    private async Task<long> KeptThroughAsync(string accountId, long lastRevision, CancellationToken cancellationToken) =>
        Math.Min((await _readModels.FindAccountAsync(accountId, cancellationToken))?.Revision ?? -1, lastRevision);

    /// <summary>
    /// The account as the correction rules judge it, without loading it: a snapshot of a few of its entries in stream
    /// order, each with the state after it — every event a command wrote (corrections, proposals, decisions: how they
    /// point at each other), every event since the account directory last wrote the account, the entries at
    /// <paramref name="revisions"/> (those the account has) and the latest one, which is the snapshot's current state.
    /// Null when the account has no events. Complete only once the directory has caught up (its kept events are).
    /// </summary>
    public async Task<TimelineSnapshot?> CompactAsync(string accountId, IEnumerable<long> revisions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (await LastRevisionAsync(accountId, cancellationToken) is not { } last)
            return null;

        var keptThrough = await KeptThroughAsync(accountId, last, cancellationToken);
        var wanted = new SortedSet<long>(revisions.Where(r => r >= 0 && r <= last)) { last };
        foreach (var kept in await _readModels.ReadAccountCommandEventsAsync(accountId, cancellationToken))
        {
            if (kept.Revision <= keptThrough)
                wanted.Add(kept.Revision);
        }

        for (var revision = keptThrough + 1; revision <= last; revision++)
            wanted.Add(revision);

        // An entry is folded from its own mark; the wanted ones after it, each within a mark's reach of the one before,
        // are folded on from it in the same read (the events since the directory wrote the account come in one run).
        var ordered = wanted.ToList();
        var entries = new List<TimelineEntry>(ordered.Count);
        for (var i = 0; i < ordered.Count;)
        {
            if (await AtRevisionAsync(accountId, ordered[i], cancellationToken) is not { } at)
                break;
            entries.Add(at);
            var end = i + 1;
            while (end < ordered.Count && ordered[end] - ordered[end - 1] <= CompactReach)
                end++;
            if (end > i + 1)
            {
                var next = i + 1;
                await foreach (var entry in FoldAsync(accountId, at.StateAfter, ordered[end - 1] - at.Revision, cancellationToken))
                {
                    if (next < end && entry.Revision == ordered[next])
                    {
                        entries.Add(entry);
                        next++;
                    }
                }
            }

            i = end;
        }

        return entries.Count == 0 ? null
            : new TimelineSnapshot([.. entries], entries.Count, entries[^1].StateAfter, CorrectionIndex.Of(entries));
    }

    private static void Keep<TKey>(ConcurrentDictionary<TKey, long> facts, TKey key, long value)
        where TKey : notnull
    {
        if (facts.Count >= KeptFacts)
            facts.Clear();
        facts[key] = value;
    }

    // The account's history when its timeline is loaded anyway, caught up with the store; null otherwise (never loads it).
    private async Task<TimelineSnapshot?> LoadedAsync(string accountId, CancellationToken cancellationToken) =>
        _loaded is not null && await _loaded.FindLoadedAsync(accountId, cancellationToken) is { } timeline ? timeline.Snapshot : null;

    // The marked event itself, when it is the answer: its entry is folded from the mark before it (seldom needed).
    private async Task<TimelineEntry?> MarkedEntryAsync(string accountId, AccountState? mark, CancellationToken cancellationToken) =>
        mark?.Revision is { } revision ? await AtRevisionAsync(accountId, revision, cancellationToken) : null;

    // Where a fold that must produce the entry at 'revision' starts: the last mark before it, or before the first event.
    private async Task<AccountState> StartBeforeAsync(string accountId, long revision, CancellationToken cancellationToken) =>
        (revision > 0 ? await _readModels.FindMarkAtRevisionAsync(accountId, revision - 1, cancellationToken) : null)
        ?? AccountState.Initial(accountId);

    private static long Next(AccountState state) => state.Revision is { } last ? last + 1 : StreamRevision.Start;

    // Folds on from a state the directory kept (or from nothing), exactly as a timeline folds its events.
    private async IAsyncEnumerable<TimelineEntry> FoldAsync(
        string accountId, AccountState state, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (maxCount <= 0)
            yield break;
        await foreach (var record in _store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, Next(state), maxCount, cancellationToken))
        {
            var entry = TimelineEntry.Next(state, record);
            state = entry.StateAfter;
            yield return entry;
        }
    }
}
