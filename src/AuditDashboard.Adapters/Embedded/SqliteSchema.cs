using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// The embedded store's tables: one <c>events</c> table whose integer primary key is the global commit position, and the
/// persistent subscription groups with their parked events. Created in a new file, brought up to date in an older one.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The schema this build creates and understands, kept in <c>PRAGMA user_version</c>.</summary>
    public const int Version = 2;

    private const string CreateSql = """
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
        """ + PersistentSubscriptionsSql;

    // Version 2: persistent subscription groups, their checkpoints and parked events. A version 1 file gets these tables.
    private const string PersistentSubscriptionsSql = """
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

    /// <summary>Creates the schema in a new file, adds what a file of an older version lacks, and refuses one it does not know.</summary>
    public static void Ensure(SqliteConnection connection, string path, bool readOnly)
    {
        var current = ReadVersion(connection, null, path);
        if (current == Version)
        {
            return;
        }

        if (readOnly)
        {
            throw new EventStoreUnavailableException(
                $"The event store file '{path}' has schema version {current} and is opened read-only, "
                + $"so it cannot be brought to version {Version}: open it once without EventStore:ReadOnly.");
        }

        // BEGIN IMMEDIATE: two processes starting on a new file create the schema once, not twice.
        using var transaction = connection.BeginTransaction();
        var version = ReadVersion(connection, transaction, path);
        if (version == 1)
        {
            SqliteStatements.Execute(connection, PersistentSubscriptionsSql, transaction);
        }
        else if (version == 0)
        {
            var objects = Convert.ToInt64(
                SqliteStatements.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'", transaction),
                CultureInfo.InvariantCulture);
            if (objects > 0)
            {
                throw new EventStoreUnavailableException(
                    $"The file '{path}' is a SQLite database of another application (it holds tables but no event store schema). "
                    + "Point EventStore:ConnectionString at another file.");
            }

            SqliteStatements.Execute(connection, CreateSql, transaction);
        }

        transaction.Commit();
    }

    private static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction, string path)
    {
        var version = Convert.ToInt64(SqliteStatements.Scalar(connection, "PRAGMA user_version", transaction), CultureInfo.InvariantCulture);
        if (version > Version || version < 0)
        {
            throw new EventStoreUnavailableException(
                $"The event store file '{path}' has schema version {version}; this build understands version {Version}. "
                + "Run a newer build of the dashboard, or point EventStore:ConnectionString at another file.");
        }

        return version;
    }
}
