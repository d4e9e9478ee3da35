using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>The single writer connection and its statements, prepared once and reused by every append.</summary>
internal sealed class SqliteWriter : IDisposable
{
    public SqliteWriter(SqliteConnection connection)
    {
        Connection = connection;

        LastOfStream = connection.CreateCommand();
        LastOfStream.CommandText = "SELECT revision, position FROM events WHERE stream_id = $stream ORDER BY revision DESC LIMIT 1";
        LastOfStreamId = LastOfStream.Parameters.Add("$stream", SqliteType.Text);

        RevisionOfEvent = connection.CreateCommand();
        RevisionOfEvent.CommandText = "SELECT revision FROM events WHERE stream_id = $stream AND event_id = $event_id";
        RevisionOfEventStreamId = RevisionOfEvent.Parameters.Add("$stream", SqliteType.Text);
        RevisionOfEventEventId = RevisionOfEvent.Parameters.Add("$event_id", SqliteType.Blob);

        EventIdsFrom = connection.CreateCommand();
        EventIdsFrom.CommandText =
            "SELECT revision, position, event_id FROM events WHERE stream_id = $stream AND revision >= $from ORDER BY revision LIMIT $count";
        EventIdsFromStreamId = EventIdsFrom.Parameters.Add("$stream", SqliteType.Text);
        EventIdsFromRevision = EventIdsFrom.Parameters.Add("$from", SqliteType.Integer);
        EventIdsFromCount = EventIdsFrom.Parameters.Add("$count", SqliteType.Integer);

        Head = connection.CreateCommand();
        Head.CommandText = "SELECT position, created FROM events ORDER BY position DESC LIMIT 1";

        Insert = connection.CreateCommand();
        Insert.CommandText = """
            INSERT INTO events (position, stream_id, revision, event_id, event_type, data, metadata, created)
            VALUES ($position, $stream, $revision, $event_id, $event_type, $data, $metadata, $created)
            """;
        InsertPosition = Insert.Parameters.Add("$position", SqliteType.Integer);
        InsertStreamId = Insert.Parameters.Add("$stream", SqliteType.Text);
        InsertRevision = Insert.Parameters.Add("$revision", SqliteType.Integer);
        InsertEventId = Insert.Parameters.Add("$event_id", SqliteType.Blob);
        InsertEventType = Insert.Parameters.Add("$event_type", SqliteType.Text);
        InsertData = Insert.Parameters.Add("$data", SqliteType.Blob);
        InsertMetadata = Insert.Parameters.Add("$metadata", SqliteType.Blob);
        InsertCreated = Insert.Parameters.Add("$created", SqliteType.Integer);

        foreach (var command in Commands)
        {
            command.Prepare();
        }
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand LastOfStream { get; }

    public SqliteParameter LastOfStreamId { get; }

    public SqliteCommand RevisionOfEvent { get; }

    public SqliteParameter RevisionOfEventStreamId { get; }

    public SqliteParameter RevisionOfEventEventId { get; }

    public SqliteCommand EventIdsFrom { get; }

    public SqliteParameter EventIdsFromStreamId { get; }

    public SqliteParameter EventIdsFromRevision { get; }

    public SqliteParameter EventIdsFromCount { get; }

    public SqliteCommand Head { get; }

    public SqliteCommand Insert { get; }

    public SqliteParameter InsertPosition { get; }

    public SqliteParameter InsertStreamId { get; }

    public SqliteParameter InsertRevision { get; }

    public SqliteParameter InsertEventId { get; }

    public SqliteParameter InsertEventType { get; }

    public SqliteParameter InsertData { get; }

    public SqliteParameter InsertMetadata { get; }

    public SqliteParameter InsertCreated { get; }

    private IEnumerable<SqliteCommand> Commands => [LastOfStream, RevisionOfEvent, EventIdsFrom, Head, Insert];

    /// <summary>Begins the append's transaction (BEGIN IMMEDIATE) and enlists every statement in it.</summary>
    public SqliteTransaction Begin()
    {
        var transaction = Connection.BeginTransaction(deferred: false);
        foreach (var command in Commands)
        {
            command.Transaction = transaction;
        }

        return transaction;
    }

    public void Dispose()
    {
        foreach (var command in Commands)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }
}
