using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;


namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// The embedded read-model store: one SQLite file of its own (by default beside the ledger), in WAL mode. One writer
/// connection serves the projections' transactions; searches use short-lived pooled readers, which WAL lets run beside
/// the writer. Account search goes through an FTS5 index with the trigram tokenizer (ids and owners by substring,
/// ignoring case) and a range on the id index for terms too short for trigrams; pages are cut by key.
/// </summary>
public sealed class SqliteReadModelStore : IReadModelStore, IAsyncDisposable
{
    /// <summary>The schema this build writes, in <c>PRAGMA user_version</c>; a file of another version is rebuilt.</summary>
    public const int SchemaVersion = SqliteReadModelSchema.Version;

    // One writer connection, used under this lock: by the opening, a clear, and each transaction until it is disposed.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteReadModelFile _file;
    private ReadModelOpening? _opening;

    /// <summary>The store in the file named by a SQLite connection string (<c>Data Source=data/readmodels.db</c>) or a plain path.</summary>
    public SqliteReadModelStore(string connectionString)
    {
        _file = new SqliteReadModelFile(connectionString);
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath => _file.FilePath;

    public string Location => _file.FilePath;

    public async Task<ReadModelOpening> OpenAsync(string? ledgerIdentity, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _opening ??= _file.Open();
            if (ledgerIdentity is null)
                return _opening;

            // The ledger may be known only later (a server that did not answer at start): compared whenever it is given.
            if (_file.CheckLedger(ledgerIdentity) is { } reason)
                _opening = new ReadModelOpening(true, reason);
            return _opening;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<long?> ReadCheckpointAsync(string projection, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM checkpoints WHERE projection = $projection";
        command.Parameters.AddWithValue("$projection", projection);
        return command.ExecuteScalar() is long position ? position : null;
    }

    public async Task<IReadModelTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = _file.Writer;
            return new SqliteReadModelTransaction(writer, writer.BeginTransaction(deferred: false), _writeLock, _file.LookupsPending);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    public Task ClearAsync(CancellationToken cancellationToken = default) => WithWriterAsync(_file.Clear, cancellationToken);

    public async Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return SqliteAccountRows.Find(connection, accountId);
    }

    public Task<AccountState?> FindMarkAtRevisionAsync(string accountId, long revision, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindMark(accountId, "revision <= $bound", revision));

    public async Task<IReadOnlyList<AccountState>> ReadMarksAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAccountRows.Columns} FROM marks WHERE account_id = $id ORDER BY revision";
        command.Parameters.AddWithValue("$id", accountId);
        return SqliteAccountRows.ReadAll(command, take: 500);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadCommandEventsAsync(
        IReadOnlyCollection<string> eventTypes, long upTo, DateTimeOffset? recordedSince = null, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return SqliteCommandEvents.Read(connection, eventTypes, upTo, recordedSince);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAccountCommandEventsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return SqliteCommandEvents.OfStream(connection, AccountIds.StreamOf(accountId));
    }

    // Through the account's rows of the event index (no index over event ids: they are random, and there are many).
    public async Task<long?> FindEventRevisionAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(revision) FROM events WHERE account_id = $id AND event_id = $event_id";
        command.Parameters.AddWithValue("$id", accountId);
        command.Parameters.AddWithValue("$event_id", eventId.ToString("D"));
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
    }

    public async Task<RecordedEvent?> FindCommandEventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return SqliteCommandEvents.Find(connection, eventId);
    }

    // An account has one mark every so many events: walking its marks back from the newest is short.
    public Task<AccountState?> FindMarkAtTimeAsync(string accountId, DateTimeOffset moment, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindMark(accountId, "last_changed_at <= $bound", moment.UtcTicks));

    // The account's newest mark meeting the condition on $bound.
    private AccountState? FindMark(string accountId, string condition, long bound)
    {
        using var connection = _file.OpenReader();
        return SqliteAccountRows.Find(
            connection,
            $"SELECT {SqliteAccountRows.Columns} FROM marks WHERE account_id = $id AND {condition} ORDER BY revision DESC LIMIT 1",
            accountId,
            bound);
    }

    public async Task<int> CountAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return (int)SqliteAccountRows.Scalar(connection, "SELECT count(*) FROM accounts");
    }

    public async Task<AccountPage> SearchAccountsAsync(AccountQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = _file.OpenReader();
        return SqliteAccountSearch.Search(connection, query, textIndexed: !_file.LookupsPending);
    }

    public async Task<EventSearchResult> SearchEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_file.LookupsPending)
            return new EventSearchResult([], query.CountTotal ? 0 : null, false, null);
        await using var connection = _file.OpenReader();
        return SqliteEventSearch.Search(connection, query);
    }

    public async Task<EventCounts> CountByPeriodAsync(EventQuery query, EventPeriod period, EventSeries series, TimeSpan offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_file.LookupsPending)
            return EventCounts.Of([], period, series, offset);
        await using var connection = _file.OpenReader();
        return EventCounts.Of(SqliteEventSearch.Newest(connection, query, EventCounts.MaxSampled + 1), period, series, offset);
    }

    /// <summary>
    /// The event index of a first build was written without its lookups (B-trees, words): they are made now, in one
    /// sorted pass each, under the write lock (about 8 s a million events on two cores).
    /// </summary>
    public Task CompleteFirstBuildAsync(CancellationToken cancellationToken = default) => WithWriterAsync(_file.BuildLookups, cancellationToken);

    // Runs work on the writer connection under the write lock.
    private async Task WithWriterAsync(Action work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            work();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _file.Close();
            _opening = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
