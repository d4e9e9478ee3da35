using AuditDashboard.Core.Accounts;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// The tables of the embedded read-model file: its meta data (which ledger it follows), each projection's checkpoint,
/// the account directory with its trigram text index and its ids' trigrams in id order (both kept in step with the rows
/// by triggers, or made from them in one pass after a first build), the accounts' marks (their state every so many events, where a replay starts folding), and the event
/// index (every account event, searched across accounts) with its index of words over reasons and ids, and the events
/// commands wrote, kept whole.
/// </summary>
internal static class SqliteReadModelSchema
{
    /// <summary>The schema this build writes, in <c>PRAGMA user_version</c>; a file of another version is rebuilt.</summary>
    public const int Version = 9;


    public static readonly string Sql = $$"""
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
        -- The account directory's text indexes (in step with its rows through the triggers of AccountTextSql). Nothing
        -- ranks matches, so no index keeps the sizes of its rows.
        CREATE VIRTUAL TABLE IF NOT EXISTS accounts_text USING fts5(
            account_id, owner, content = 'accounts', content_rowid = 'id', tokenize = 'trigram', columnsize = 0);

        -- Owners alone, for a search whose term many ids hold: whether few owners hold it too is asked here, where the
        -- index above would read every id's match to find none among the owners.
        CREATE VIRTUAL TABLE IF NOT EXISTS owners_text USING fts5(owner, content = 'accounts', content_rowid = 'id', tokenize = 'trigram', columnsize = 0);

        -- Every trigram of an account's id (ASCII letters in lower case), in id order within each trigram: ids are often
        -- numbered in sequence, so the ids holding a term can all lie far into the id order, and a search matching many
        -- of them walks one of these lists to its page (see GramWalk), where the text index above knows no order but its
        -- own rowids. An id never changes: its trigrams are written once. Triggers cannot loop: they join a table of offsets.
        CREATE TABLE IF NOT EXISTS gram_offsets (i INTEGER PRIMARY KEY) STRICT;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {{AccountIds.MaxLength}})
            INSERT OR IGNORE INTO gram_offsets (i) SELECT i FROM n;
        CREATE TABLE IF NOT EXISTS account_grams (
            gram       TEXT NOT NULL,
            account_id TEXT NOT NULL,
            PRIMARY KEY (gram, account_id)
        ) STRICT, WITHOUT ROWID;

        -- The event index: one row per account event, keyed by its position in $all. Each index below is, in SQLite, its
        -- columns followed by the position: the events of one actor, one type, one account... lie in the order of their
        -- recorded times within it, so a page of them newest first, in a time range or not, is a short walk.
        CREATE TABLE IF NOT EXISTS events (
            position       INTEGER PRIMARY KEY,
            account_id     TEXT    NOT NULL,
            revision       INTEGER NOT NULL,
            event_id       TEXT    NOT NULL,
            event_type     TEXT    NOT NULL,
            actor          TEXT,
            recorded       INTEGER NOT NULL,
            effective      INTEGER NOT NULL,
            amount         TEXT,
            size           REAL,
            currency       TEXT,
            reference      TEXT,
            correlation_id TEXT,
            causation_id   TEXT,
            source         TEXT,
            reason         TEXT,
            flagged        INTEGER NOT NULL
        ) STRICT;
        -- The words of the reasons, keyed by position, read from the rows (no copy of the text).
        CREATE VIRTUAL TABLE IF NOT EXISTS events_words USING fts5(
            reason, content = 'events', content_rowid = 'position', tokenize = 'unicode61 remove_diacritics 0', columnsize = 0);

        -- The events commands write (corrections, proposals, decisions), whole: a few rows. The read models held in memory
        -- are loaded from them at a start, by type and recorded time; a command's id is looked up among them, and an
        -- account's are read to judge a correction of it.
        CREATE TABLE IF NOT EXISTS command_events (
            position   INTEGER PRIMARY KEY,
            stream_id  TEXT    NOT NULL,
            revision   INTEGER NOT NULL,
            event_id   TEXT    NOT NULL,
            event_type TEXT    NOT NULL,
            data       BLOB    NOT NULL,
            metadata   BLOB    NOT NULL,
            recorded   INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS command_events_by_id ON command_events (event_id);
        CREATE INDEX IF NOT EXISTS command_events_by_type ON command_events (event_type, recorded);
        CREATE INDEX IF NOT EXISTS command_events_by_stream ON command_events (stream_id, revision);
        """;

    /// <summary>
    /// The triggers that keep the account directory's text indexes and id trigrams in step with its rows, row by row. A
    /// first build writes the rows alone and makes the indexes from them once it has caught up, with the event index's
    /// lookups (<see cref="RebuildAccountTextSql"/>, then these): a new account costs a few microseconds instead of fifty.
    /// </summary>
    public const string AccountTextSql = """
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
        CREATE TRIGGER IF NOT EXISTS owners_text_insert AFTER INSERT ON accounts BEGIN
            INSERT INTO owners_text (rowid, owner) VALUES (new.id, new.owner);
        END;
        CREATE TRIGGER IF NOT EXISTS owners_text_update AFTER UPDATE OF owner ON accounts WHEN old.owner IS NOT new.owner BEGIN
            INSERT INTO owners_text (owners_text, rowid, owner) VALUES ('delete', old.id, old.owner);
            INSERT INTO owners_text (rowid, owner) VALUES (new.id, new.owner);
        END;
        CREATE TRIGGER IF NOT EXISTS owners_text_delete AFTER DELETE ON accounts BEGIN
            INSERT INTO owners_text (owners_text, rowid, owner) VALUES ('delete', old.id, old.owner);
        END;
        CREATE TRIGGER IF NOT EXISTS account_grams_insert AFTER INSERT ON accounts BEGIN
            INSERT INTO account_grams (gram, account_id)
                SELECT DISTINCT lower(substr(new.account_id, i, 3)), new.account_id FROM gram_offsets WHERE i <= length(new.account_id) - 2;
        END;
        CREATE TRIGGER IF NOT EXISTS account_grams_delete AFTER DELETE ON accounts BEGIN
            DELETE FROM account_grams WHERE account_id = old.account_id AND gram IN (
                SELECT lower(substr(old.account_id, i, 3)) FROM gram_offsets WHERE i <= length(old.account_id) - 2);
        END;
        """;

    /// <summary>
    /// Makes the account directory's text indexes and id trigrams again from its rows, in one pass each; the trigrams are
    /// written in their key's order (4.1 -> 1.2 s for 100,000 accounts).
    /// </summary>
    public const string RebuildAccountTextSql = """
        INSERT INTO accounts_text (accounts_text) VALUES ('rebuild');
        INSERT INTO owners_text (owners_text) VALUES ('rebuild');
        DELETE FROM account_grams;
        INSERT INTO account_grams (gram, account_id)
            SELECT DISTINCT lower(substr(account_id, i, 3)) AS gram, account_id FROM accounts JOIN gram_offsets ON i <= length(account_id) - 2
            ORDER BY gram, account_id;
        """;

    /// <summary>Drops the triggers of <see cref="AccountTextSql"/>.</summary>
    public const string DropAccountTextSql = """
        DROP TRIGGER IF EXISTS accounts_text_insert;
        DROP TRIGGER IF EXISTS accounts_text_update;
        DROP TRIGGER IF EXISTS accounts_text_delete;
        DROP TRIGGER IF EXISTS owners_text_insert;
        DROP TRIGGER IF EXISTS owners_text_update;
        DROP TRIGGER IF EXISTS owners_text_delete;
        DROP TRIGGER IF EXISTS account_grams_insert;
        DROP TRIGGER IF EXISTS account_grams_delete;
        """;

    /// <summary>
    /// The event index's lookups: its B-trees, and (<see cref="RebuildWordsSql"/>) its words. A first build writes the
    /// rows alone and makes these once it has caught up, in one sorted pass each, which is many times faster than
    /// keeping them row by row while millions of rows arrive (see <see cref="SqliteReadModelFile"/>). The ids that tie
    /// events together (references, correlation and causation ids) have B-trees of their own: each id is a word no other
    /// event holds, and as words of the index of words they took 38 of its 50 seconds at 10 M events, where their two
    /// B-trees take 16; a live event adds one entry to each.
    /// </summary>
    public const string LookupsSql = """
        CREATE INDEX IF NOT EXISTS events_by_recorded ON events (recorded);
        CREATE INDEX IF NOT EXISTS events_by_account ON events (account_id, recorded);
        CREATE INDEX IF NOT EXISTS events_by_actor ON events (actor, recorded);
        CREATE INDEX IF NOT EXISTS events_by_type ON events (event_type, recorded);
        CREATE INDEX IF NOT EXISTS events_flagged ON events (flagged, recorded) WHERE flagged = 1;
        CREATE INDEX IF NOT EXISTS events_by_reference ON events (reference) WHERE reference IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_by_correlation ON events (correlation_id) WHERE correlation_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_by_causation ON events (causation_id) WHERE causation_id IS NOT NULL;
        """;

    /// <summary>Drops the lookups (on an empty index, where dropping costs nothing).</summary>
    public const string DropLookupsSql = """
        DROP INDEX IF EXISTS events_by_recorded;
        DROP INDEX IF EXISTS events_by_account;
        DROP INDEX IF EXISTS events_by_actor;
        DROP INDEX IF EXISTS events_by_type;
        DROP INDEX IF EXISTS events_flagged;
        DROP INDEX IF EXISTS events_by_reference;
        DROP INDEX IF EXISTS events_by_correlation;
        DROP INDEX IF EXISTS events_by_causation;
        """;

    /// <summary>
    /// Indexes the words of every row of the event index again. The words are gathered in 64 MB of memory before each
    /// segment is written, not 1 MB (12.3 -> 6.4 s for 10 M reasons: far fewer segments to merge); live events, one
    /// transaction each, go back to the default.
    /// </summary>
    public const string RebuildWordsSql = """
        INSERT INTO events_words (events_words, rank) VALUES ('hashsize', 67108864);
        INSERT INTO events_words (events_words) VALUES ('rebuild');
        INSERT INTO events_words (events_words, rank) VALUES ('hashsize', 1048576);
        """;

    /// <summary>Empties every read model and checkpoint (the text index with them); the ledger the file follows stays recorded.</summary>
    public const string ClearSql =
        "DELETE FROM accounts; DELETE FROM account_grams; DELETE FROM marks; DELETE FROM checkpoints; INSERT INTO accounts_text (accounts_text) VALUES ('delete-all'); INSERT INTO owners_text (owners_text) VALUES ('delete-all'); DELETE FROM events; DELETE FROM command_events; INSERT INTO events_words (events_words) VALUES ('delete-all');";
}
