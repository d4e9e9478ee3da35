using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.ReadModels;

/// <summary>
/// Read models held in memory: for tests and tools that need no file. Nothing survives the process, and search scans
/// every account, so the dashboard itself uses the SQLite adapter. Shows the same behaviour as every adapter (the
/// read-model contract tests run against it).
/// </summary>
public sealed class InMemoryReadModelStore : IReadModelStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<long, AccountState>> _marks = new(StringComparer.Ordinal);
    private readonly SortedList<long, IndexedEvent> _events = [];
    private readonly SortedList<long, RecordedEvent> _commandEvents = [];
    private string? _ledgerIdentity;

    public string Location => "memory";

    public Task<ReadModelOpening> OpenAsync(string? ledgerIdentity, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (ledgerIdentity is not null && _ledgerIdentity is not null && _ledgerIdentity != ledgerIdentity)
            {
                ClearLocked();
                _ledgerIdentity = ledgerIdentity;
                return Task.FromResult(new ReadModelOpening(true, "they were built from another ledger"));
            }

            _ledgerIdentity ??= ledgerIdentity;
            return Task.FromResult(new ReadModelOpening(_checkpoints.Count == 0, null));
        }
    }

    public Task<long?> ReadCheckpointAsync(string projection, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(_checkpoints.TryGetValue(projection, out var position) ? position : (long?)null);
    }

    public Task<IReadModelTransaction> BeginAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadModelTransaction>(new Transaction(this));

    // Every lookup is kept as rows arrive: nothing is put off.
    public Task CompleteFirstBuildAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ClearAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            ClearLocked();
        return Task.CompletedTask;
    }

    public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(_accounts.GetValueOrDefault(accountId));
    }

    public Task<AccountState?> FindMarkAtRevisionAsync(string accountId, long revision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(MarksOf(accountId).LastOrDefault(m => m.Revision <= revision));
    }

    public Task<AccountState?> FindMarkAtTimeAsync(string accountId, DateTimeOffset moment, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(MarksOf(accountId).LastOrDefault(m => m.LastChangedAt <= moment));
    }

    public Task<IReadOnlyList<AccountState>> ReadMarksAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<AccountState>>([.. MarksOf(accountId)]);
    }

    private IEnumerable<AccountState> MarksOf(string accountId) =>
        _marks.TryGetValue(accountId, out var marks) ? marks.Values : [];

    public Task<IReadOnlyList<RecordedEvent>> ReadCommandEventsAsync(
        IReadOnlyCollection<string> eventTypes, long upTo, DateTimeOffset? recordedSince = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RecordedEvent>>([.. _commandEvents.Values.Where(e =>
                e.Position <= upTo && eventTypes.Contains(e.EventType) && (recordedSince is not { } since || e.Created >= since))]);
        }
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAccountCommandEventsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var stream = AccountIds.StreamOf(accountId);
        lock (_gate)
            return Task.FromResult<IReadOnlyList<RecordedEvent>>([.. _commandEvents.Values.Where(e => e.StreamId == stream).OrderBy(e => e.Revision)]);
    }

    public Task<long?> FindEventRevisionAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.Values.Where(e => e.AccountId == accountId && e.EventId == eventId)
                .Select(e => (long?)e.Revision).Min());
        }
    }

    public Task<RecordedEvent?> FindCommandEventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(_commandEvents.Values.FirstOrDefault(e => e.EventId == eventId));
    }

    public Task<int> CountAccountsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(_accounts.Count);
    }

    public Task<AccountPage> SearchAccountsAsync(AccountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Take);
        var term = query.Term;
        List<AccountState> matches;
        lock (_gate)
            matches = _accounts.Values.Where(a => Matches(a, term)).ToList();

        var page = matches
            .Where(a => query.After is null || string.CompareOrdinal(a.AccountId, query.After) > 0)
            .Skip(query.Skip)
            .Take(query.Take)
            .ToList();
        return Task.FromResult(term is not null && matches.Count > AccountQuery.CountLimit
            ? new AccountPage(page, AccountQuery.CountLimit, TotalIsLowerBound: true)
            : new AccountPage(page, matches.Count));
    }

    private static bool Matches(AccountState account, string? term) =>
        term is null
        || (term.Length < AccountQuery.MinSubstringLength
            ? account.AccountId.StartsWith(term, StringComparison.OrdinalIgnoreCase)
            : account.AccountId.Contains(term, StringComparison.OrdinalIgnoreCase)
                || (account.Owner?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false));

    public Task<EventSearchResult> SearchEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<IndexedEvent> matches;
        lock (_gate)
        {
            var owners = query.Owner is { } owner
                ? _accounts.Values.Where(a => a.Owner?.Contains(owner, StringComparison.OrdinalIgnoreCase) ?? false).Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal)
                : [];
            matches = _events.Values.Where(e => query.Matches(e, owners.Contains)).ToList();
        }

        matches.Sort((a, b) => query.OldestFirst ? EventKey.Of(a).CompareTo(EventKey.Of(b)) : EventKey.Of(b).CompareTo(EventKey.Of(a)));
        var page = matches
            .Where(e => query.After is not { } after || (query.OldestFirst ? EventKey.Of(e) > after : EventKey.Of(e) < after))
            .Take(query.Limit + 1)
            .ToList();
        var next = page.Count > query.Limit ? EventKey.Of(page[query.Limit - 1]) : (EventKey?)null;
        if (page.Count > query.Limit)
            page.RemoveAt(query.Limit);
        var capped = matches.Count > EventQuery.CountCap;
        return Task.FromResult(new EventSearchResult(
            page, query.CountTotal ? Math.Min(matches.Count, EventQuery.CountCap) : null, query.CountTotal && capped, next));
    }

    public async Task<EventCounts> CountByPeriodAsync(EventQuery query, EventPeriod period, EventSeries series, TimeSpan offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = await SearchEventsAsync(query with { After = null, OldestFirst = false, Limit = int.MaxValue - 1, CountTotal = false }, cancellationToken);
        return EventCounts.Of(all.Items.Select(e => (e.Recorded, e.EventType, e.Actor)), period, series, offset);
    }

    private void ClearLocked()
    {
        _events.Clear();
        _commandEvents.Clear();
        _accounts.Clear();
        _checkpoints.Clear();
        _marks.Clear();
    }

    /// <summary>Buffers writes and applies them under the store's lock on commit, so readers never see half of one.</summary>
    private sealed class Transaction(InMemoryReadModelStore store) : IReadModelTransaction
    {
        private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
        private readonly List<AccountState> _marks = [];
        private readonly List<IndexedEvent> _events = [];
        private readonly List<RecordedEvent> _commandEvents = [];

        public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
            _accounts.TryGetValue(accountId, out var pending) ? Task.FromResult<AccountState?>(pending) : store.FindAccountAsync(accountId, cancellationToken);

        public Task PutAccountsAsync(IReadOnlyCollection<AccountState> accounts, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(accounts);
            foreach (var account in accounts)
                _accounts[account.AccountId] = account;
            return Task.CompletedTask;
        }

        public Task PutMarksAsync(IReadOnlyCollection<AccountState> marks, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(marks);
            foreach (var mark in marks)
            {
                if (mark.Revision is null)
                    throw new ArgumentException("A mark is the state after an event: its revision cannot be null.", nameof(marks));
                _marks.Add(mark);
            }

            return Task.CompletedTask;
        }

        public Task PutEventsAsync(IReadOnlyCollection<IndexedEvent> events, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(events);
            _events.AddRange(events);
            return Task.CompletedTask;
        }

        public Task PutCommandEventsAsync(IReadOnlyCollection<RecordedEvent> events, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(events);
            _commandEvents.AddRange(events);
            return Task.CompletedTask;
        }

        public Task SetCheckpointAsync(string projection, long position, CancellationToken cancellationToken = default)
        {
            _checkpoints[projection] = position;
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            lock (store._gate)
            {
                foreach (var (id, account) in _accounts)
                    store._accounts[id] = account;
                foreach (var (projection, position) in _checkpoints)
                    store._checkpoints[projection] = position;
                foreach (var mark in _marks)
                {
                    if (!store._marks.TryGetValue(mark.AccountId, out var marks))
                        store._marks[mark.AccountId] = marks = [];
                    marks[mark.Revision!.Value] = mark;
                }

                foreach (var indexed in _events)
                    store._events.TryAdd(indexed.Position, indexed);
                foreach (var kept in _commandEvents)
                    store._commandEvents.TryAdd(kept.Position, kept);
            }

            _accounts.Clear();
            _checkpoints.Clear();
            _marks.Clear();
            _events.Clear();
            _commandEvents.Clear();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
