using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>How the events commands wrote are kept whole in the read-model file, and read back.</summary>
internal static class SqliteCommandEvents
{
    private const string Columns = "position, stream_id, revision, event_id, event_type, data, metadata, recorded";

    public static SqliteCommand Prepare(SqliteConnection writer, SqliteTransaction transaction)
    {
        var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO command_events ({Columns})
            VALUES ($position, $stream, $revision, $event_id, $type, $data, $metadata, $recorded)
            ON CONFLICT (position) DO NOTHING
            """;
        foreach (var name in new[] { "$position", "$stream", "$revision", "$event_id", "$type", "$data", "$metadata", "$recorded" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    public static void Put(SqliteCommand put, RecordedEvent e)
    {
        var p = put.Parameters;
        p[0].Value = e.Position;
        p[1].Value = e.StreamId;
        p[2].Value = e.Revision;
        p[3].Value = e.EventId.ToString("D");
        p[4].Value = e.EventType;
        p[5].Value = e.Data.ToArray();
        p[6].Value = e.Metadata.ToArray();
        p[7].Value = e.Created.UtcTicks;
        put.ExecuteNonQuery();
    }

    /// <summary>The kept events of <paramref name="eventTypes"/> at or before <paramref name="upTo"/>, recorded at or after <paramref name="since"/>, in position order.</summary>
    public static IReadOnlyList<RecordedEvent> Read(SqliteConnection connection, IReadOnlyCollection<string> eventTypes, long upTo, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        using var command = connection.CreateCommand();
        var types = eventTypes.Select((type, i) =>
        {
            command.Parameters.AddWithValue($"$t{i}", type);
            return $"$t{i}";
        }).ToList();
        if (types.Count == 0)
            return [];
        command.CommandText = $"""
            SELECT {Columns} FROM command_events
            WHERE event_type IN ({string.Join(", ", types)}) AND recorded >= $since AND position <= $up_to
            ORDER BY position
            """;
        command.Parameters.AddWithValue("$since", since?.UtcTicks ?? long.MinValue);
        command.Parameters.AddWithValue("$up_to", upTo);
        return ReadAll(command);
    }

    public static IReadOnlyList<RecordedEvent> OfStream(SqliteConnection connection, string streamId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM command_events WHERE stream_id = $stream ORDER BY revision";
        command.Parameters.AddWithValue("$stream", streamId);
        return ReadAll(command);
    }

    public static RecordedEvent? Find(SqliteConnection connection, Guid eventId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM command_events WHERE event_id = $event_id ORDER BY position LIMIT 1";
        command.Parameters.AddWithValue("$event_id", eventId.ToString("D"));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRow(reader) : null;
    }

    private static List<RecordedEvent> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var events = new List<RecordedEvent>();
        while (reader.Read())
            events.Add(ReadRow(reader));
        return events;
    }

    private static RecordedEvent ReadRow(SqliteDataReader r) => new(
        r.GetString(1),
        r.GetInt64(2),
        r.GetInt64(0),
        Guid.Parse(r.GetString(3)),
        r.GetString(4),
        (byte[])r.GetValue(5),
        (byte[])r.GetValue(6),
        new DateTimeOffset(r.GetInt64(7), TimeSpan.Zero));
}
