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
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
        ON CONFLICT (position) DO NOTHING
        """;

    private const string InsertWords = "INSERT INTO events_words (rowid, reason) VALUES (?1, ?2)";

    /// <summary>
    /// The statements that put one event: its row, then (when the row is new, and <paramref name="withWords"/>) the words
    /// of its reason. Run by position: a build writes millions of them.
    /// </summary>
    public static (SqliteRawStatement Row, SqliteRawStatement? Words) Prepare(SqliteConnection writer, bool withWords)
    {
        var row = new SqliteRawStatement(writer, Insert);
        try
        {
            return (row, withWords ? new SqliteRawStatement(writer, InsertWords) : null);
        }
        catch
        {
            row.Dispose();
            throw;
        }
    }

    public static void Put((SqliteRawStatement Row, SqliteRawStatement? Words) statements, IndexedEvent e)
    {
        var row = statements.Row;
        row.Bind(1, e.Position);
        row.Bind(2, e.AccountId);
        row.Bind(3, e.Revision);
        row.Bind(4, e.EventId.ToString("D"));
        row.Bind(5, e.EventType);
        row.Bind(6, e.Actor);
        row.Bind(7, e.Recorded.UtcTicks);
        row.Bind(8, e.EffectiveAt.UtcTicks);
        row.Bind(9, e.Amount?.ToString(CultureInfo.InvariantCulture));
        row.Bind(10, e.Amount is { } amount ? (double)Math.Abs(amount) : null);
        row.Bind(11, e.Currency);
        row.Bind(12, e.Reference);
        row.Bind(13, e.CorrelationId);
        row.Bind(14, e.CausationId);
        row.Bind(15, e.Source);
        row.Bind(16, e.Reason);
        row.Bind(17, e.Flagged ? 1 : 0);
        if (row.Execute() == 0 || statements.Words is not { } words || e.Reason is null)
            return;
        words.Bind(1, e.Position);
        words.Bind(2, e.Reason);
        words.Execute();
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
