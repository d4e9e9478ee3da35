using AuditDashboard.Core.Search;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>How a row of the event index is written and read.</summary>
internal static class SqliteEventRows
{
    /// <summary>The columns <see cref="Read"/> expects, in its order.</summary>
    public const string Columns =
        "position, account_id, revision, event_id, event_type, actor, recorded, effective, amount, currency, reference, correlation_id, causation_id, source, reason, flagged";

    private const string Insert = """
        INSERT INTO events (position, account_id, revision, event_id, event_type, actor, recorded, effective, amount, size, currency,
            reference, correlation_id, causation_id, source, reason, flagged)
        VALUES ($position, $account, $revision, $event_id, $type, $actor, $recorded, $effective, $amount, $size, $currency,
            $reference, $correlation, $causation, $source, $reason, $flagged)
        ON CONFLICT (position) DO NOTHING
        """;

    /// <summary>
    /// The statements that put one event: its row, then (when the row is new, and <paramref name="withWords"/>) the words
    /// of its reason and ids.
    /// </summary>
    public static (SqliteCommand Row, SqliteCommand? Words) Prepare(SqliteConnection writer, SqliteTransaction transaction, bool withWords)
    {
        var row = writer.CreateCommand();
        row.Transaction = transaction;
        row.CommandText = Insert;
        foreach (var name in new[] { "$position", "$account", "$revision", "$event_id", "$type", "$actor", "$recorded", "$effective", "$amount", "$size", "$currency", "$reference", "$correlation", "$causation", "$source", "$reason", "$flagged" })
            row.Parameters.Add(new SqliteParameter { ParameterName = name });
        row.Prepare();
        if (!withWords)
            return (row, null);

        var words = writer.CreateCommand();
        words.Transaction = transaction;
        words.CommandText = "INSERT INTO events_words (rowid, reason, reference, correlation_id, causation_id) VALUES ($position, $reason, $reference, $correlation, $causation)";
        foreach (var name in new[] { "$position", "$reason", "$reference", "$correlation", "$causation" })
            words.Parameters.Add(new SqliteParameter { ParameterName = name });
        words.Prepare();
        return (row, words);
    }

    public static void Put((SqliteCommand Row, SqliteCommand? Words) statements, IndexedEvent e)
    {
        var p = statements.Row.Parameters;
        p[0].Value = e.Position;
        p[1].Value = e.AccountId;
        p[2].Value = e.Revision;
        p[3].Value = e.EventId.ToString("D");
        p[4].Value = e.EventType;
        p[5].Value = (object?)e.Actor ?? DBNull.Value;
        p[6].Value = e.Recorded.UtcTicks;
        p[7].Value = e.EffectiveAt.UtcTicks;
        p[8].Value = (object?)e.Amount?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value;
        p[9].Value = e.Amount is { } amount ? (double)Math.Abs(amount) : DBNull.Value;
        p[10].Value = (object?)e.Currency ?? DBNull.Value;
        p[11].Value = (object?)e.Reference ?? DBNull.Value;
        p[12].Value = (object?)e.CorrelationId ?? DBNull.Value;
        p[13].Value = (object?)e.CausationId ?? DBNull.Value;
        p[14].Value = (object?)e.Source ?? DBNull.Value;
        p[15].Value = (object?)e.Reason ?? DBNull.Value;
        p[16].Value = e.Flagged ? 1 : 0;
        if (statements.Row.ExecuteNonQuery() == 0 || statements.Words is not { } words || (e.Reason ?? e.Reference ?? e.CorrelationId ?? e.CausationId) is null)
            return;
        var w = words.Parameters;
        w[0].Value = e.Position;
        w[1].Value = (object?)e.Reason ?? DBNull.Value;
        w[2].Value = (object?)e.Reference ?? DBNull.Value;
        w[3].Value = (object?)e.CorrelationId ?? DBNull.Value;
        w[4].Value = (object?)e.CausationId ?? DBNull.Value;
        words.ExecuteNonQuery();
    }

    public static IndexedEvent Read(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetInt64(2),
        Guid.Parse(r.GetString(3)),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero),
        new DateTimeOffset(r.GetInt64(7), TimeSpan.Zero),
        r.IsDBNull(8) ? null : decimal.Parse(r.GetString(8), NumberStyles.Number, CultureInfo.InvariantCulture),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetString(13),
        r.IsDBNull(14) ? null : r.GetString(14),
        r.GetInt64(15) != 0);
}
