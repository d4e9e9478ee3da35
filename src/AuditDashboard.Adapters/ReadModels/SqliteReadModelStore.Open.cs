using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.ReadModels;

public sealed partial class SqliteReadModelStore
{
    private const int Corrupt = 11;
    private const int NotADb = 26;

    /// <summary>
    /// Opens the file, throwing it away first when it cannot be trusted (damaged, another schema, another ledger), and
    /// proves it can be written. Read models are disposable: a rebuild costs time, never data.
    /// </summary>
    private ReadModelOpening OpenFile()
    {
        string? reason = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReadModelStoreUnavailableException(Describe(_path, e), e);
        }

        var existed = File.Exists(_path) && new FileInfo(_path).Length > 0;
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
                throw new ReadModelStoreUnavailableException(Describe(_path, again), again);
            }
        }
        catch (SqliteException e)
        {
            CloseWriter();
            throw new ReadModelStoreUnavailableException(Describe(_path, e), e);
        }

        var hasCheckpoints = Scalar(_writer!, "SELECT count(*) FROM checkpoints") > 0;
        return new ReadModelOpening(!existed || reason is not null || !hasCheckpoints, reason);
    }

    /// <summary>Opens the writer and brings the file to this schema; returns why it had to be emptied, or null.</summary>
    private string? OpenWriter()
    {
        CloseWriter();
        var writer = new SqliteConnection(_writerConnectionString);
        _writer = writer;
        writer.Open();
        Execute(writer, "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");

        string? reason = null;
        var version = Scalar(writer, "PRAGMA user_version");
        var objects = Scalar(writer, "SELECT count(*) FROM sqlite_master");
        if (version != SchemaVersion && objects > 0)
        {
            reason = version == 0
                ? "the file holds no read models of this dashboard"
                : string.Create(CultureInfo.InvariantCulture, $"their schema is version {version} and this build writes version {SchemaVersion}");
            DeleteFile();
            writer = new SqliteConnection(_writerConnectionString);
            _writer = writer;
            writer.Open();
            Execute(writer, "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }

        // Creating the schema, or recording the ledger in an existing file, is the proof that the file can be written.
        using (var transaction = writer.BeginTransaction(deferred: false))
        {
            Execute(writer, SchemaSql, transaction);
            Execute(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion}"), transaction);
            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO meta (key, value) VALUES ('opened', $now) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return reason;
    }

    /// <summary>Empties read models built from another ledger, and records which ledger they follow; returns why it emptied them.</summary>
    private static string? CheckLedger(SqliteConnection writer, string ledgerIdentity)
    {
        var stored = StoredLedger(writer);
        if (stored == ledgerIdentity)
            return null;
        string? reason = null;
        if (stored is not null)
        {
            reason = "they were built from another ledger";
            ClearTables(writer);
        }

        using var command = writer.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ('ledger', $ledger) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$ledger", ledgerIdentity);
        command.ExecuteNonQuery();
        return reason;
    }

    private static string? StoredLedger(SqliteConnection writer)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'ledger'";
        return command.ExecuteScalar() as string;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>Deletes the file with its WAL and shared-memory files, after closing every connection to it.</summary>
    private void DeleteFile()
    {
        CloseWriter();
        ClearReaderPool();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReadModelStoreUnavailableException(Describe(_path, e), e);
            }
        }
    }
}
