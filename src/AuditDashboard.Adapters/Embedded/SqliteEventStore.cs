using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using AuditDashboard.EventStore;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Embedded;

/// <summary>
/// The embedded event store: one SQLite file in WAL mode, one <c>events</c> table whose integer primary key is the
/// global commit position. Other processes (a seeding command, a second dashboard) may use the same file; they are
/// serialized by SQLite's file lock, and their events reach this instance's subscriptions by polling.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IPersistentSubscriptions, IAsyncDisposable
{
    /// <summary>The schema this build creates and understands, kept in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = 2;

    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS events (
            position   INTEGER PRIMARY KEY,
            stream_id  TEXT    NOT NULL,
            revision   INTEGER NOT NULL,
            event_id   BLOB    NOT NULL,
            event_type TEXT    NOT NULL,
            data       BLOB    NOT NULL,
            metadata   BLOB    NOT NULL,
            created    INTEGER NOT NULL,
            UNIQUE (stream_id, revision)
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS events_stream_event_id ON events (stream_id, event_id);
        """ + PersistentSubscriptionsSchemaSql;

    // Version 2: persistent subscription groups, their checkpoints and parked events. A version 1 file gets these tables.
    private const string PersistentSubscriptionsSchemaSql = """
        CREATE TABLE IF NOT EXISTS subscription_groups (
            name            TEXT    PRIMARY KEY,
            stream_prefix   TEXT,
            start_after     INTEGER,
            max_retry_count INTEGER NOT NULL,
            checkpoint      INTEGER,
            created         INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS subscription_parked (
            group_name  TEXT    NOT NULL,
            position    INTEGER NOT NULL,
            reason      TEXT    NOT NULL,
            parked_at   INTEGER NOT NULL,
            retry_count INTEGER NOT NULL,
            replay      INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (group_name, position)
        ) STRICT;
        PRAGMA user_version = 2;
        """;

    private readonly EmbeddedStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _path;
    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly bool _readOnly;

    // One writer connection, used under this lock: in-process appends queue here instead of spinning on SQLite's
    // busy handler. Other processes are kept out by BEGIN IMMEDIATE and the busy timeout.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly AppendSignal _appended = new();

    // Cancelled on dispose so that open subscriptions end quietly. Never disposed: subscriptions still being
    // enumerated link to its token, and a cancellation source without a timer holds no unmanaged resource.
    private readonly CancellationTokenSource _disposing = new();

    private Writer? _writer;
    private int _disposed;

    // Set when an integrity check found the file damaged: from then on every read and write is refused with it.
    private string? _damage;

    /// <summary>Opens (on <see cref="InitializeAsync"/>) the store in the file named by a SQLite connection string or a plain path.</summary>
    public SqliteEventStore(string connectionString)
        : this(new EmbeddedStoreOptions(connectionString))
    {
    }

    public SqliteEventStore(EmbeddedStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;

        var builder = ParseConnectionString(options.ConnectionString);
        _path = builder.DataSource;
        var readOnly = options.ReadOnly || builder.Mode == SqliteOpenMode.ReadOnly;
        _readOnly = readOnly;

        // Besides SQLite's own busy_timeout (set on the writer), Microsoft.Data.Sqlite retries busy statements until
        // this many whole seconds have passed; 0 would mean forever, hence at least 1.
        builder.DefaultTimeout = WholeSeconds(options.BusyTimeout);

        // The writer is a single long-lived connection: its pragmas and prepared statements are set up once.
        builder.Pooling = false;
        builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite;
        _writerConnectionString = builder.ToString();

        // Readers are short-lived pooled connections. ReadWrite, not ReadWriteCreate: a file deleted under a running
        // dashboard must fail loudly, not come back as an empty store.
        builder.Pooling = true;
        builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite;
        _readerConnectionString = builder.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath => _path;

    /// <summary>True when the file is opened read-only (<see cref="EmbeddedStoreOptions.ReadOnly"/> or <c>Mode=ReadOnly</c>).</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>
    /// Creates the folder, the file and the schema as needed (only when <see cref="EmbeddedStoreOptions.CreateIfMissing"/>
    /// allows it), switches the file to WAL, and proves it is usable: that it can be read and, unless opened read-only,
    /// written. Every failure is an <see cref="EventStoreUnavailableException"/> naming the file. Calling it again does nothing.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
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
                var folder = Path.GetDirectoryName(_path);
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw SqliteFailure.Describe(e, _path);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                _writer = OpenWriter();
            }
            catch (SqliteException e)
            {
                throw SqliteFailure.Describe(e, _path, Stopwatch.GetElapsedTime(started));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A round trip to the <c>events</c> table on a fresh connection; false, never an exception, when it fails.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0 || Volatile.Read(ref _damage) is not null)
        {
            return false;
        }

        try
        {
            await using var connection = new SqliteConnection(_readerConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT EXISTS (SELECT 1 FROM events)";

            // A readiness probe must answer quickly even when another process holds an exclusive lock.
            command.CommandTimeout = 1;
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Ends open subscriptions, waits for an append in flight, closes the file and drops pooled connections to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // Consumers save their checkpoints while the writer is still open.
        foreach (var consumer in _consumers.Values)
        {
            await consumer.DropAsync("the event store is shutting down");
        }

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

        using var pooled = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static void Validate(EmbeddedStoreOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                "Invalid embedded event store options: " + string.Join(" ", results.Select(r => r.ErrorMessage)),
                nameof(options));
        }
    }

    private static SqliteConnectionStringBuilder ParseConnectionString(string value)
    {
        // The setting may be a full connection string or, as the configuration docs promise, just a file path.
        var builder = value.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(value)
            : new SqliteConnectionStringBuilder { DataSource = value.Trim() };

        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.Mode == SqliteOpenMode.Memory
            || builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The embedded event store needs the path of a file, as in '{EmbeddedStoreOptions.DefaultConnectionString}'; got '{value}'.",
                nameof(value));
        }

        if (builder.Cache == SqliteCacheMode.Shared)
        {
            // Shared cache replaces WAL's concurrent readers by table locks: readers would stall behind every append.
            throw new ArgumentException("The embedded event store does not support 'Cache=Shared'.", nameof(value));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        return builder;
    }

    private static int WholeSeconds(TimeSpan timeout) => Math.Max(1, (int)Math.Floor(timeout.TotalSeconds));

    private static string BusyTimeoutPragma(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)}");

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    private Writer OpenWriter()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            // Start-up waits only briefly for a lock held elsewhere: a second dashboard on the same file should be
            // told so at once. Afterwards appends wait the (longer) busy timeout for a seeding command to finish a batch.
            connection.DefaultTimeout = WholeSeconds(_options.StartupTimeout);
            connection.Open();
            Execute(connection, BusyTimeoutPragma(_options.StartupTimeout));

            var journalMode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new EventStoreUnavailableException(
                    $"The event store file '{_path}' cannot use write-ahead logging (its journal mode stayed '{journalMode}'). Keep the file on a local disk.");
            }

            // In WAL mode NORMAL loses no consistency on a crash, only possibly the last commits on power loss.
            Execute(connection, "PRAGMA synchronous = NORMAL");
            EnsureSchema(connection);
            if (!_readOnly)
            {
                ProveWritable(connection);
            }

            Execute(connection, BusyTimeoutPragma(_options.BusyTimeout));
            connection.DefaultTimeout = WholeSeconds(_options.BusyTimeout);
            return new Writer(connection);
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
        var file = new FileInfo(_path);

        // An empty main file with a non-empty write-ahead log beside it is a store whose pages all sit in the log.
        var wal = new FileInfo(_path + "-wal");
        var empty = file.Exists && file.Length == 0 && !(wal.Exists && wal.Length > 0);
        if ((file.Exists && !empty) || (_options.CreateIfMissing && !_readOnly))
        {
            return;
        }

        var folder = Path.GetDirectoryName(_path);
        var what = empty ? "is empty (0 bytes), so it holds no store"
            : !string.IsNullOrEmpty(folder) && !Directory.Exists(folder) ? $"does not exist, nor does its folder '{folder}'"
            : "does not exist";
        var remedy = _readOnly
            ? "A store opened read-only is never created: point EventStore:ConnectionString at an existing store."
            : "Check EventStore:ConnectionString, or set EventStore:CreateIfMissing=true to create a new, empty store there.";
        throw new EventStoreUnavailableException($"The event store file '{_path}' {what}; nothing was created. {remedy}");
    }

    /// <summary>
    /// Begins a write transaction and writes, then rolls back. A file the system will not let this process write still
    /// opens (SQLite falls back to reading it) and serves every read, so without this the first correction would be the
    /// first to find out.
    /// </summary>
    private static void ProveWritable(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, "CREATE TABLE write_probe (x INTEGER)", transaction);
        transaction.Rollback();
    }

    private void EnsureSchema(SqliteConnection connection)
    {
        var current = ReadSchemaVersion(connection, null);
        if (current == SchemaVersion)
        {
            return;
        }

        if (_readOnly)
        {
            throw new EventStoreUnavailableException(
                $"The event store file '{_path}' has schema version {current} and is opened read-only, "
                + $"so it cannot be brought to version {SchemaVersion}: open it once without EventStore:ReadOnly.");
        }

        // BEGIN IMMEDIATE: two processes starting on a new file create the schema once, not twice.
        using var transaction = connection.BeginTransaction();
        var version = ReadSchemaVersion(connection, transaction);
        if (version == 1)
        {
            Execute(connection, PersistentSubscriptionsSchemaSql, transaction);
        }
        else if (version == 0)
        {
            var objects = Convert.ToInt64(
                Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'", transaction),
                CultureInfo.InvariantCulture);
            if (objects > 0)
            {
                throw new EventStoreUnavailableException(
                    $"The file '{_path}' is a SQLite database of another application (it holds tables but no event store schema). "
                    + "Point EventStore:ConnectionString at another file.");
            }

            Execute(connection, CreateSchemaSql, transaction);
        }

        transaction.Commit();
    }

    private long ReadSchemaVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version", transaction), CultureInfo.InvariantCulture);
        if (version > SchemaVersion || version < 0)
        {
            throw new EventStoreUnavailableException(
                $"The event store file '{_path}' has schema version {version}; this build understands version {SchemaVersion}. "
                + "Run a newer build of the dashboard, or point EventStore:ConnectionString at another file.");
        }

        return version;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void ThrowIfNotInitialized()
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _writer) is null)
        {
            throw new InvalidOperationException($"Call {nameof(InitializeAsync)} before using the event store.");
        }

        ThrowIfDamaged();
    }

    private void ThrowIfDamaged()
    {
        if (Volatile.Read(ref _damage) is { } damage)
        {
            throw new EventStoreUnavailableException(damage);
        }
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new EventStoreReadOnlyException($"The event store file '{_path}' is open read-only; nothing was written.");
        }
    }

    private EventStoreUnavailableException Unavailable(SqliteException exception) =>
        SqliteFailure.Describe(exception, _path, _options.BusyTimeout);
}
