using AuditDashboard.Core.ReadModels;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// The read-model file itself: where it is, its one writer connection and fresh pooled readers, and opening it: throwing
/// it away first when it cannot be trusted (damaged, another schema, another ledger) and proving it can be written. Read
/// models are disposable: a rebuild costs time, never data. Not thread-safe: the store calls it under its write lock.
/// </summary>
internal sealed class SqliteReadModelFile
{
    private const int Corrupt = 11;
    private const int NotADb = 26;
    private const string CacheSize = "-65536";
    private const string SortingCacheSize = "-8192";
    private const string WriterPragmas = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = " + CacheSize + ";";

    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private SqliteConnection? _writer;
    private bool _lookupsPending;

    /// <summary>The file named by a SQLite connection string (<c>Data Source=data/readmodels.db</c>) or a plain path.</summary>
    public SqliteReadModelFile(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = connectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connectionString)
            : new SqliteConnectionStringBuilder { DataSource = connectionString };
        FilePath = Path.GetFullPath(builder.DataSource);
        builder.DataSource = FilePath;
        builder.Pooling = false;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.DefaultTimeout = 30;
        _writerConnectionString = builder.ToString();
        builder.Pooling = true;
        builder.Mode = SqliteOpenMode.ReadWrite;
        _readerConnectionString = builder.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>The writer connection, once <see cref="Open"/> has run.</summary>
    public SqliteConnection Writer => _writer ?? throw new InvalidOperationException($"The read-model store '{FilePath}' is opened by OpenAsync first.");

    /// <summary>Opens the file for writing, emptying it when it cannot be trusted; says what it found.</summary>
    public ReadModelOpening Open()
    {
        string? reason = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReadModelStoreUnavailableException(Describe(e), e);
        }

        var existed = File.Exists(FilePath) && new FileInfo(FilePath).Length > 0;
        try
        {
            reason = OpenWriter();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is Corrupt or NotADb)
        {
            reason = $"the file was damaged or not a database ({e.Message.TrimEnd('.')})";
            DeleteFile();
            try
            {
                OpenWriter();
            }
            catch (SqliteException again)
            {
                throw new ReadModelStoreUnavailableException(Describe(again), again);
            }
        }
        catch (SqliteException e)
        {
            CloseWriter();
            throw new ReadModelStoreUnavailableException(Describe(e), e);
        }

        var hasCheckpoints = SqliteAccountRows.Scalar(Writer, "SELECT count(*) FROM checkpoints") > 0;
        return new ReadModelOpening(!existed || reason is not null || !hasCheckpoints, reason);
    }

    /// <summary>Empties read models built from another ledger, and records which ledger they follow; returns why it emptied them.</summary>
    public string? CheckLedger(string ledgerIdentity)
    {
        var writer = Writer;
        var stored = StoredLedger(writer);
        if (stored == ledgerIdentity)
            return null;
        string? reason = null;
        if (stored is not null)
        {
            reason = "they were built from another ledger";
            Clear();
        }

        using var command = writer.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ('ledger', $ledger) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$ledger", ledgerIdentity);
        command.ExecuteNonQuery();
        return reason;
    }

    /// <summary>Drops every read model and checkpoint in one transaction.</summary>
    public void Clear()
    {
        var writer = Writer;
        using var transaction = writer.BeginTransaction(deferred: false);
        // The event index's lookups go first: its rows are then deleted without touching them.
        DeferLookups(writer, transaction);
        SqliteAccountRows.Execute(writer, SqliteReadModelSchema.ClearSql, transaction);
        transaction.Commit();
    }

    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Closes the writer and this file's idle pooled readers (only this file's: other stores keep theirs).</summary>
    public void Close()
    {
        CloseWriter();
        using var connection = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Opens the writer and brings the file to this schema; returns why it had to be emptied, or null.</summary>
    private string? OpenWriter()
    {
        CloseWriter();
        var writer = OpenWriterConnection();
        string? reason = null;
        var version = SqliteAccountRows.Scalar(writer, "PRAGMA user_version");
        var objects = SqliteAccountRows.Scalar(writer, "SELECT count(*) FROM sqlite_master");
        if (version != SqliteReadModelSchema.Version && objects > 0)
        {
            reason = version == 0
                ? "the file holds no read models of this dashboard"
                : string.Create(CultureInfo.InvariantCulture, $"their schema is version {version} and this build writes version {SqliteReadModelSchema.Version}");
            DeleteFile();
            writer = OpenWriterConnection();
        }

        // Creating the schema, or recording the opening in an existing file, is the proof that the file can be written.
        using (var transaction = writer.BeginTransaction(deferred: false))
        {
            SqliteAccountRows.Execute(writer, SqliteReadModelSchema.Sql, transaction);
            SqliteAccountRows.Execute(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SqliteReadModelSchema.Version}"), transaction);
            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO meta (key, value) VALUES ('opened', $now) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
            LookupsPending = StoredLookupsPending(writer, transaction);
            if (!LookupsPending && SqliteAccountRows.Scalar(writer, "SELECT EXISTS (SELECT 1 FROM events)", transaction) == 0)
                DeferLookups(writer, transaction);
            else if (!LookupsPending)
                SqliteAccountRows.Execute(writer, SqliteReadModelSchema.LookupsSql + SqliteReadModelSchema.AccountTextSql, transaction);
            transaction.Commit();
        }

        return reason;
    }

    /// <summary>
    /// True while the read models are being built from nothing: the event index's rows are written without their lookups
    /// (B-trees and words) and the accounts without their text indexes and id trigrams, which <see cref="BuildLookups"/>
    /// makes in one pass once the build has caught up. Kept in the file, so a build interrupted by a crash goes on the
    /// same way. Read by searches on other threads.
    /// </summary>
    public bool LookupsPending
    {
        get => Volatile.Read(ref _lookupsPending);
        private set => Volatile.Write(ref _lookupsPending, value);
    }

    /// <summary>Makes the event index's lookups and the accounts' text indexes over every row, when they were put off; in one transaction.</summary>
    public void BuildLookups()
    {
        if (!LookupsPending)
            return;
        var writer = Writer;

        // The B-trees are sorted with a helper thread: nothing else is written meanwhile (36.8 -> 28.5 s of sorting for
        // 10 M rows on 2 cores). The sorter sorts runs of the page cache's size: runs of 8 MB stay in the processor's
        // caches, where runs of 64 MB do not (the eight B-trees of 10 M rows: 45 -> 32 s).
        SqliteAccountRows.Execute(writer, $"PRAGMA threads = 2; PRAGMA cache_size = {SortingCacheSize}");
        try
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            SqliteAccountRows.Execute(writer, SqliteReadModelSchema.LookupsSql, transaction);
            SqliteAccountRows.Execute(writer, SqliteReadModelSchema.RebuildWordsSql, transaction);
            SqliteAccountRows.Execute(writer, SqliteReadModelSchema.RebuildAccountTextSql + SqliteReadModelSchema.AccountTextSql, transaction);
            SqliteAccountRows.Execute(writer, "DELETE FROM meta WHERE key = 'event_lookups'", transaction);
            transaction.Commit();
        }
        finally
        {
            // A broken connection fails here too: the build's own error is the one to report.
            try
            {
                SqliteAccountRows.Execute(writer, $"PRAGMA threads = 0; PRAGMA cache_size = {CacheSize}");
            }
            catch (SqliteException)
            {
            }
        }

        LookupsPending = false;
    }

    // The read models are (about to be) empty and built from the first event: the lookups and text indexes wait until
    // they have caught up.
    private void DeferLookups(SqliteConnection writer, SqliteTransaction transaction)
    {
        SqliteAccountRows.Execute(writer, SqliteReadModelSchema.DropLookupsSql + SqliteReadModelSchema.DropAccountTextSql, transaction);
        SqliteAccountRows.Execute(writer, "INSERT INTO meta (key, value) VALUES ('event_lookups', 'pending') ON CONFLICT (key) DO UPDATE SET value = excluded.value", transaction);
        LookupsPending = true;
    }

    private static bool StoredLookupsPending(SqliteConnection writer, SqliteTransaction transaction)
    {
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE key = 'event_lookups'";
        return command.ExecuteScalar() is "pending";
    }

    private SqliteConnection OpenWriterConnection()
    {
        var writer = new SqliteConnection(_writerConnectionString);
        _writer = writer;
        writer.Open();
        SqliteAccountRows.Execute(writer, WriterPragmas);
        return writer;
    }

    private static string? StoredLedger(SqliteConnection writer)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'ledger'";
        return command.ExecuteScalar() as string;
    }

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>Deletes the file with its WAL and shared-memory files, after closing every connection to it.</summary>
    private void DeleteFile()
    {
        Close();
        foreach (var file in new[] { FilePath, FilePath + "-wal", FilePath + "-shm", FilePath + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReadModelStoreUnavailableException(Describe(e), e);
            }
        }
    }

    private string Describe(Exception exception) => exception is SqliteException sqlite
        ? $"The read-model file '{FilePath}' cannot be written (SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message.TrimEnd('.')}). Let the account running the dashboard write it and its folder, or point ReadModels:ConnectionString at another file."
        : $"The read-model file '{FilePath}' cannot be written ({exception.Message.TrimEnd('.')}). Let the account running the dashboard write it and its folder, or point ReadModels:ConnectionString at another file.";
}
