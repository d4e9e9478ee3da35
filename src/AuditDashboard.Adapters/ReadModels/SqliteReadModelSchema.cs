namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// The tables of the embedded read-model file: its meta data (which ledger it follows), each projection's checkpoint,
/// the account directory with its trigram text index, which triggers keep in step with the rows, and the accounts'
/// marks (their state every so many events, where a replay starts folding).
/// </summary>
internal static class SqliteReadModelSchema
{
    /// <summary>The schema this build writes, in <c>PRAGMA user_version</c>; a file of another version is rebuilt.</summary>
    public const int Version = 2;

    public const string Sql = """
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
        -- The columns of an account row, so one reader serves both; the revision is that of the marked event.
        CREATE TABLE IF NOT EXISTS marks (
            account_id      TEXT    NOT NULL,
            owner           TEXT,
            currency        TEXT,
            balance         TEXT    NOT NULL,
            status          INTEGER NOT NULL,
            revision        INTEGER NOT NULL,
            opened_at       INTEGER,
            last_changed_at INTEGER,
            event_count     INTEGER NOT NULL,
            PRIMARY KEY (account_id, revision)
        ) STRICT, WITHOUT ROWID;
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

    /// <summary>Empties every read model and checkpoint (the text index with them); the ledger the file follows stays recorded.</summary>
    public const string ClearSql = "DELETE FROM accounts; DELETE FROM marks; DELETE FROM checkpoints; INSERT INTO accounts_text (accounts_text) VALUES ('delete-all');";
}
