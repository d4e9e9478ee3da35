using System.Globalization;
using AuditDashboard.Accounts;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.ReadModels;

/// <summary>
/// The embedded read-model store: one SQLite file of its own (by default beside the ledger), in WAL mode. One writer
/// connection serves the projections' transactions; searches use short-lived pooled readers, which WAL lets run beside
/// the writer. Account search goes through an FTS5 index with the trigram tokenizer (ids and owners by substring,
/// ignoring case) and a range on the id index for terms too short for trigrams; pages are cut by key.
/// </summary>
public sealed partial class SqliteReadModelStore : IReadModelStore, IAsyncDisposable
{
    /// <summary>The schema this build writes, in <c>PRAGMA user_version</c>; a file of another version is rebuilt.</summary>
    public const int SchemaVersion = 1;

    private const string SchemaSql = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS checkpoints (
            projection TEXT PRIMARY KEY,
            position   INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS accounts (
            id              INTEGER PRIMARY KEY,
            account_id      TEXT    NOT NULL UNIQUE,
            owner           TEXT,
            currency        TEXT,
            balance         TEXT    NOT NULL,
            status          INTEGER NOT NULL,
            revision        INTEGER,
            opened_at       INTEGER,
            last_changed_at INTEGER,
            event_count     INTEGER NOT NULL
        ) STRICT;
        CREATE VIRTUAL TABLE IF NOT EXISTS accounts_text USING fts5(
            account_id, owner, content = 'accounts', content_rowid = 'id', tokenize = 'trigram');
        CREATE TRIGGER IF NOT EXISTS accounts_text_insert AFTER INSERT ON accounts BEGIN
            INSERT INTO accounts_text (rowid, account_id, owner) VALUES (new.id, new.account_id, new.owner);
        END;
        -- Most updates change a balance: the text index is touched only when the owner changes.
        CREATE TRIGGER IF NOT EXISTS accounts_text_update AFTER UPDATE OF owner ON accounts WHEN old.owner IS NOT new.owner BEGIN
            INSERT INTO accounts_text (accounts_text, rowid, account_id, owner) VALUES ('delete', old.id, old.account_id, old.owner);
            INSERT INTO accounts_text (rowid, account_id, owner) VALUES (new.id, new.account_id, new.owner);
        END;
        CREATE TRIGGER IF NOT EXISTS accounts_text_delete AFTER DELETE ON accounts BEGIN
            INSERT INTO accounts_text (accounts_text, rowid, account_id, owner) VALUES ('delete', old.id, old.account_id, old.owner);
        END;
        """;

    private const string AccountColumns = "account_id, owner, currency, balance, status, revision, opened_at, last_changed_at, event_count";

    private readonly string _path;
    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private ReadModelOpening? _opening;

    /// <summary>The store in the file named by a SQLite connection string (<c>Data Source=data/readmodels.db</c>) or a plain path.</summary>
    public SqliteReadModelStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = connectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connectionString)
            : new SqliteConnectionStringBuilder { DataSource = connectionString };
        _path = Path.GetFullPath(builder.DataSource);
        builder.DataSource = _path;
        builder.Pooling = false;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.DefaultTimeout = 30;
        _writerConnectionString = builder.ToString();
        builder.Pooling = true;
        builder.Mode = SqliteOpenMode.ReadWrite;
        _readerConnectionString = builder.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath => _path;

    public string Location => _path;

    public async Task<ReadModelOpening> OpenAsync(string? ledgerIdentity, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _opening ??= OpenFile();
            if (ledgerIdentity is null)
                return _opening;

            // The ledger may be known only later (a server that did not answer at start): compared whenever it is given.
            if (CheckLedger(_writer!, ledgerIdentity) is { } reason)
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
        await using var connection = OpenReader();
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
            var writer = _writer ?? throw new InvalidOperationException($"The read-model store '{_path}' is opened by OpenAsync first.");
            return new Transaction(this, writer, writer.BeginTransaction(deferred: false));
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = _writer ?? throw new InvalidOperationException($"The read-model store '{_path}' is opened by OpenAsync first.");
            ClearTables(writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenReader();
        return FindAccount(connection, accountId);
    }

    public async Task<int> CountAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM accounts";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_writer is not null)
                await _writer.DisposeAsync();
            _writer = null;
            _opening = null;
        }
        finally
        {
            _writeLock.Release();
        }

        ClearReaderPool();
    }

    /// <summary>Closes the idle pooled readers of this file (only this file's: other stores keep theirs).</summary>
    private void ClearReaderPool()
    {
        using var connection = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        return connection;
    }

    private static AccountState? FindAccount(SqliteConnection connection, string accountId, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {AccountColumns} FROM accounts WHERE account_id = $id";
        command.Parameters.AddWithValue("$id", accountId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadAccount(reader) : null;
    }

    private static AccountState ReadAccount(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        decimal.Parse(reader.GetString(3), NumberStyles.Number, CultureInfo.InvariantCulture),
        (AccountStatus)reader.GetInt32(4),
        reader.IsDBNull(5) ? null : reader.GetInt64(5),
        reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
        reader.GetInt32(8));

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void ClearTables(SqliteConnection writer)
    {
        using var transaction = writer.BeginTransaction(deferred: false);
        Execute(writer, "DELETE FROM accounts; DELETE FROM checkpoints; INSERT INTO accounts_text (accounts_text) VALUES ('delete-all');", transaction);
        transaction.Commit();
    }

    private static string Describe(string path, Exception exception) => exception is SqliteException sqlite
        ? $"The read-model file '{path}' cannot be written (SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message.TrimEnd('.')}). Let the account running the dashboard write it and its folder, or point ReadModels:ConnectionString at another file."
        : $"The read-model file '{path}' cannot be written ({exception.Message.TrimEnd('.')}). Let the account running the dashboard write it and its folder, or point ReadModels:ConnectionString at another file.";
}
