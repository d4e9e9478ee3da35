using System.Runtime.CompilerServices;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// The embedded event store: one SQLite file in WAL mode, one <c>events</c> table whose integer primary key is the
/// global commit position. Other processes (a seeding command, a second dashboard) may use the same file; they are
/// serialized by SQLite's file lock, and their events reach this instance's subscriptions by polling.
/// </summary>
/// <remarks>
/// It only puts the parts together, each with one job: <see cref="SqliteStoreFile"/> opens the file and holds its one
/// writer and the append signal, <see cref="SqliteAppends"/> appends, <see cref="SqliteReads"/> reads,
/// <see cref="SqliteCatchUpSubscriptions"/> and <see cref="SqlitePersistentSubscriptions"/> serve the subscriptions,
/// <see cref="SqliteLedgerLeaves"/> feeds the ledger check, and <see cref="SqliteStoreChecks"/> checks the file.
/// </remarks>
public sealed class SqliteEventStore : IEventStore, IPersistentSubscriptions, ILedgerLeafSource, IAsyncDisposable
{
    /// <summary>The schema this build creates and understands, kept in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = SqliteSchema.Version;

    private readonly SqliteStoreFile _file;
    private readonly SqliteAppends _appends;
    private readonly SqliteReads _reads;
    private readonly SqliteCatchUpSubscriptions _catchUp;
    private readonly SqlitePersistentSubscriptions _persistent;
    private readonly SqliteLedgerLeaves _leaves;
    private readonly SqliteStoreChecks _checks;

    /// <summary>Opens (on <see cref="InitializeAsync"/>) the store in the file named by a SQLite connection string or a plain path.</summary>
    public SqliteEventStore(string connectionString)
        : this(new EmbeddedStoreOptions(connectionString))
    {
    }

    public SqliteEventStore(EmbeddedStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        timeProvider ??= TimeProvider.System;
        _file = new SqliteStoreFile(options);
        _appends = new SqliteAppends(_file, timeProvider);
        _reads = new SqliteReads(_file);
        _catchUp = new SqliteCatchUpSubscriptions(_file, _reads);
        _persistent = new SqlitePersistentSubscriptions(_file, _catchUp, timeProvider);
        _leaves = new SqliteLedgerLeaves(_file);
        _checks = new SqliteStoreChecks(_file);
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath => _file.FilePath;

    /// <summary>True when the file is opened read-only (<see cref="EmbeddedStoreOptions.ReadOnly"/> or <c>Mode=ReadOnly</c>).</summary>
    public bool IsReadOnly => _file.IsReadOnly;

    /// <summary>
    /// True when the file was closed cleanly when last used (no write-ahead log left beside it), so its last run did not
    /// end in a crash; false after a crash, and when the last run opened it read-only. Known once initialized.
    /// </summary>
    public bool WasClosedCleanly => _file.ClosedCleanlyBefore;

    /// <summary>
    /// Creates the folder, the file and the schema as needed (only when <see cref="EmbeddedStoreOptions.CreateIfMissing"/>
    /// allows it), switches the file to WAL, and proves it is usable: that it can be read and, unless opened read-only,
    /// written. Every failure is an <see cref="EventStoreUnavailableException"/> naming the file. Calling it again does nothing.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _file.InitializeAsync(cancellationToken);

    /// <summary>A round trip to the <c>events</c> table on a fresh connection; false, never an exception, when it fails.</summary>
    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => _checks.IsReachableAsync(cancellationToken);

    /// <summary>
    /// Runs SQLite's <c>PRAGMA quick_check</c> over the whole file. When it finds damage the store refuses every later read
    /// and write with an <see cref="EventStoreUnavailableException"/> that says so: an audit ledger must not serve figures
    /// from a damaged file.
    /// </summary>
    public Task<IntegrityCheckResult> CheckIntegrityAsync(CancellationToken cancellationToken = default) => _checks.CheckIntegrityAsync(cancellationToken);

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        _appends.AppendAsync(streamId, expected, events, cancellationToken);

    /// <summary>Appends to several streams in one transaction with one commit time: all of them, or none when any is refused.</summary>
    public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        _appends.AppendManyAsync(appends, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        _reads.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) =>
        _reads.GetLastRevisionAsync(streamId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _reads.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    /// <summary>The events at these positions, in the order given, a page of them to a query.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadPositionsAsync(IReadOnlyList<long> positions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        _file.ThrowIfNotInitialized();
        foreach (var chunk in positions.Chunk(_file.Options.ReadPageSize))
        {
            foreach (var record in await _reads.ReadPositionsPageAsync(chunk, cancellationToken))
                yield return record;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        _catchUp.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _catchUp.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken);

    /// <inheritdoc />
    public Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) =>
        _persistent.CreateToAllAsync(groupName, settings, cancellationToken);

    /// <inheritdoc />
    public Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) =>
        _persistent.UpdateToAllAsync(groupName, settings, cancellationToken);

    /// <inheritdoc />
    public Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.DeleteToAllAsync(groupName, cancellationToken);

    /// <inheritdoc />
    public Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.GetInfoToAllAsync(groupName, cancellationToken);

    /// <inheritdoc />
    public Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default) =>
        _persistent.SubscribeToAllAsync(groupName, bufferSize, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, CancellationToken cancellationToken = default) =>
        _persistent.ReadParkedAsync(groupName, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.ReplayParkedAsync(groupName, cancellationToken);

    /// <inheritdoc />
    public void ReadLeaves(long fromPosition, LeafSink sink, CancellationToken cancellationToken) =>
        _leaves.ReadLeaves(fromPosition, sink, cancellationToken);

    /// <inheritdoc />
    public Task NextAppendAsync(CancellationToken cancellationToken) => _leaves.NextAppendAsync(cancellationToken);

    /// <summary>Ends open subscriptions, waits for an append in flight, closes the file and drops pooled connections to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_file.IsDisposed)
        {
            return;
        }

        // Consumers save their checkpoints while the writer is still open.
        await _persistent.DropAllAsync("the event store is shutting down");
        await _file.DisposeAsync();
    }
}
