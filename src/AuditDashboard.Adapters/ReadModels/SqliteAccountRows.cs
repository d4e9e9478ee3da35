using AuditDashboard.Core.Accounts;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>How an account's row of the read-model file is read, and the few statements every part of the adapter runs.</summary>
internal static class SqliteAccountRows
{
    /// <summary>The columns of an account row, in the order <see cref="Read"/> expects them.</summary>
    public const string Columns = "account_id, owner, currency, balance, status, revision, opened_at, last_changed_at, event_count";

    /// <summary>The parameters of a statement writing a row, in the order of <see cref="Columns"/>.</summary>
    public const string Parameters = "$id, $owner, $currency, $balance, $status, $revision, $opened, $changed, $count";

    /// <summary>Runs a prepared statement with <see cref="Parameters"/>, for one account's state.</summary>
    public static void Execute(SqliteCommand command, AccountState account)
    {
        var p = command.Parameters;
        p[0].Value = account.AccountId;
        p[1].Value = (object?)account.Owner ?? DBNull.Value;
        p[2].Value = (object?)account.Currency ?? DBNull.Value;
        p[3].Value = account.Balance.ToString(CultureInfo.InvariantCulture);
        p[4].Value = (int)account.Status;
        p[5].Value = (object?)account.Revision ?? DBNull.Value;
        p[6].Value = (object?)account.OpenedAt?.UtcTicks ?? DBNull.Value;
        p[7].Value = (object?)account.LastChangedAt?.UtcTicks ?? DBNull.Value;
        p[8].Value = account.EventCount;
        command.ExecuteNonQuery();
    }

    /// <summary>The first row <paramref name="sql"/> (over <see cref="Columns"/>, with <c>$id</c> and <c>$bound</c>) gives, or null.</summary>
    public static AccountState? Find(SqliteConnection connection, string sql, string accountId, long bound)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", accountId);
        command.Parameters.AddWithValue("$bound", bound);
        return First(command);
    }

    public static AccountState? Find(SqliteConnection connection, string accountId, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM accounts WHERE account_id = $id";
        command.Parameters.AddWithValue("$id", accountId);
        return First(command);
    }

    private static AccountState? First(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public static List<AccountState> ReadAll(SqliteCommand command, int take)
    {
        var items = new List<AccountState>(Math.Min(take, 500));
        using var reader = command.ExecuteReader();
        while (reader.Read())
            items.Add(Read(reader));
        return items;
    }

    public static AccountState Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        decimal.Parse(reader.GetString(3), NumberStyles.Number, CultureInfo.InvariantCulture),
        (AccountStatus)reader.GetInt32(4),
        reader.IsDBNull(5) ? null : reader.GetInt64(5),
        reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
        reader.GetInt32(8));

    public static long Scalar(SqliteConnection connection, string sql, IEnumerable<SqliteParameter>? parameters = null) =>
        Scalar(connection, sql, transaction: null, parameters);

    public static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction, IEnumerable<SqliteParameter>? parameters = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (parameters is not null)
            command.Parameters.AddRange(parameters);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// <paramref name="term"/> as a quoted FTS5 string, matched as a phrase of its tokens (with the trigram tokenizer,
    /// as a substring ignoring case).
    /// </summary>
    public static string Phrase(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A copy of <paramref name="parameter"/>: a parameter belongs to one command at a time.</summary>
    public static SqliteParameter Clone(SqliteParameter parameter) => new(parameter.ParameterName, parameter.Value);
}
