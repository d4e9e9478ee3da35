using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// The embedded store's file: opening it (WAL, schema, a proof that it can be written), its one writer connection and the
/// lock that serializes writes on it, fresh reader connections, the signal that wakes live readers after an append, and
/// the store's state (initialized, damaged, disposed) that every read and write checks first.
/// </summary>
/// <remarks>
/// Other processes (a seeding command, a second dashboard) may use the same file; they are serialized by SQLite's file
/// lock, and their events reach this instance's subscriptions by polling (<see cref="WaitForAppendAsync"/>).
/// </remarks>
internal sealed class SqliteStoreFile : IAsyncDisposable
{
    private readonly EmbeddedStoreOptions _options;
    private readonly SqliteConnections _connections;

    // One writer connection, used under this lock: in-process appends queue here instead of spinning on SQLite's
    // busy handler. Other processes are kept out by BEGIN IMMEDIATE and the busy timeout.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly AppendSignal _appended = new();

    // Cancelled on dispose so that open subscriptions end quietly. Never disposed: subscriptions still being
    // enumerated link to its token, and a cancellation source without a timer holds no unmanaged resource.
    private readonly CancellationTokenSource _disposing = new();

    private SqliteWriter? _writer;
    private int _disposed;

    // Set when an integrity check found the file damaged: from then on every read and write is refused with it.
    private string? _damage;

    public SqliteStoreFile(EmbeddedStoreOptions options)
    {
        _options = options;
        _connections = new SqliteConnections(options);
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath => _connections.FilePath;

    /// <summary>
    /// True when the file was closed cleanly when last used: no write-ahead log was left beside it (the last connection to
    /// close folds the log into the file and deletes it). Known once the store is initialized.
    /// </summary>
    public bool ClosedCleanlyBefore { get; private set; }

    /// <summary>True when the file is opened read-only.</summary>
    public bool IsReadOnly => _connections.ReadOnly;

    public EmbeddedStoreOptions Options => _options;

    /// <summary>Cancelled when the store is disposed: open subscriptions end quietly.</summary>
    public CancellationToken Disposing => _disposing.Token;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public bool IsDamaged => Volatile.Read(ref _damage) is not null;

    /// <summary>Completes at the next append of this process; take it before reading (see <see cref="AppendSignal.Next"/>).</summary>
    public Task NextAppend => _appended.Next;

    /// <summary>See <see cref="SqliteEventStore.InitializeAsync"/>.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            if (_writer is not null)
            {
                return;
            }

            RefuseMissingFile();
            try
            {
                var folder = Path.GetDirectoryName(FilePath);
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw SqliteFailure.Describe(e, FilePath);
            }

            var log = new FileInfo(FilePath + "-wal");
            ClosedCleanlyBefore = !log.Exists || log.Length == 0;
            var started = Stopwatch.GetTimestamp();
            try
            {
                _writer = OpenWriter();
            }
            catch (SqliteException e)
            {
                throw SqliteFailure.Describe(e, FilePath, Stopwatch.GetElapsedTime(started));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs a write on the writer, under the write lock, once the store is known to be open, writable and not damaged;
    /// a failure of the file comes out as an <see cref="EventStoreUnavailableException"/>.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWriter, T> write, CancellationToken cancellationToken)
    {
        ThrowIfNotInitialized();
        ThrowIfReadOnly();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            return write(_writer!);
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Wakes the live readers of this process: called by an append that wrote, still under the write lock.</summary>
    public void Appended() => _appended.Pulse();

    /// <summary>Returns on an in-process append, after the poll interval (writers in other processes), or on cancellation.</summary>
    public async Task WaitForAppendAsync(Task appended, CancellationToken token)
    {
        using var pollCancellation = CancellationTokenSource.CreateLinkedTokenSource(token);
        var poll = Task.Delay(_options.PollInterval, pollCancellation.Token);
        await Task.WhenAny(appended, poll);
        await pollCancellation.CancelAsync();
    }

    /// <summary>A new, unopened reader connection (pooled).</summary>
    public SqliteConnection NewReader() => new(_connections.Reader);

    /// <summary>An open reader connection; refused once the file is known to be damaged.</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        // Live subscriptions open a reader on every poll: they stop too once the file is known to be damaged.
        ThrowIfDamaged();
        var connection = NewReader();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now on every read and write is refused with <paramref name="damage"/>.</summary>
    public void MarkDamaged(string damage) => Volatile.Write(ref _damage, damage);

    /// <summary>Waits for a write in flight, closes the writer and drops pooled connections to the file; later writes throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync();
        await _writeLock.WaitAsync();
        try
        {
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            // Appends queued behind the lock proceed, see the store disposed, and throw ObjectDisposedException.
            _writeLock.Release();
        }

        using var pooled = NewReader();
        SqliteConnection.ClearPool(pooled);
    }

    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, typeof(SqliteEventStore));

    public void ThrowIfNotInitialized()
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _writer) is null)
        {
            throw new InvalidOperationException($"Call {nameof(InitializeAsync)} before using the event store.");
        }

        ThrowIfDamaged();
    }

    public void ThrowIfDamaged()
    {
        if (Volatile.Read(ref _damage) is { } damage)
        {
            throw new EventStoreUnavailableException(damage);
        }
    }

    public EventStoreUnavailableException Unavailable(SqliteException exception) =>
        SqliteFailure.Describe(exception, FilePath, _options.BusyTimeout);

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            throw new EventStoreReadOnlyException($"The event store file '{FilePath}' is open read-only; nothing was written.");
        }
    }

    private static string BusyTimeoutPragma(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)}");

    private SqliteWriter OpenWriter()
    {
        var connection = new SqliteConnection(_connections.Writer);
        try
        {
            // Start-up waits only briefly for a lock held elsewhere: a second dashboard on the same file should be
            // told so at once. Afterwards appends wait the (longer) busy timeout for a seeding command to finish a batch.
            connection.DefaultTimeout = SqliteConnections.WholeSeconds(_options.StartupTimeout);
            connection.Open();
            SqliteStatements.Execute(connection, BusyTimeoutPragma(_options.StartupTimeout));

            var journalMode = Convert.ToString(SqliteStatements.Scalar(connection, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new EventStoreUnavailableException(
                    $"The event store file '{FilePath}' cannot use write-ahead logging (its journal mode stayed '{journalMode}'). Keep the file on a local disk.");
            }

            // In WAL mode NORMAL loses no consistency on a crash, only possibly the last commits on power loss.
            SqliteStatements.Execute(connection, "PRAGMA synchronous = NORMAL");
            SqliteSchema.Ensure(connection, FilePath, IsReadOnly);
            if (!IsReadOnly)
            {
                ProveWritable(connection);
            }

            SqliteStatements.Execute(connection, BusyTimeoutPragma(_options.BusyTimeout));
            connection.DefaultTimeout = SqliteConnections.WholeSeconds(_options.BusyTimeout);
            return new SqliteWriter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a file that does not exist, or is empty, unless the options allow creating a store there.</summary>
    private void RefuseMissingFile()
    {
        var path = FilePath;
        var file = new FileInfo(path);

        // An empty main file with a non-empty write-ahead log beside it is a store whose pages all sit in the log.
        var wal = new FileInfo(path + "-wal");
        var empty = file.Exists && file.Length == 0 && !(wal.Exists && wal.Length > 0);
        if ((file.Exists && !empty) || (_options.CreateIfMissing && !IsReadOnly))
        {
            return;
        }

        var folder = Path.GetDirectoryName(path);
        var what = empty ? "is empty (0 bytes), so it holds no store"
            : !string.IsNullOrEmpty(folder) && !Directory.Exists(folder) ? $"does not exist, nor does its folder '{folder}'"
            : "does not exist";
        var remedy = IsReadOnly
            ? "A store opened read-only is never created: point EventStore:ConnectionString at an existing store."
            : "Check EventStore:ConnectionString, or set EventStore:CreateIfMissing=true to create a new, empty store there.";
        throw new EventStoreUnavailableException($"The event store file '{path}' {what}; nothing was created. {remedy}");
    }

    /// <summary>
    /// Begins a write transaction and writes, then rolls back. A file the system will not let this process write still
    /// opens (SQLite falls back to reading it) and serves every read, so without this the first correction would be the
    /// first to find out.
    /// </summary>
    private static void ProveWritable(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        SqliteStatements.Execute(connection, "CREATE TABLE write_probe (x INTEGER)", transaction);
        transaction.Rollback();
    }
}
