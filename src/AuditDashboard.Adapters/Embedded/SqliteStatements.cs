using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>One-off statements on a connection (pragmas, schema), outside the prepared statements of appends and reads.</summary>
internal static class SqliteStatements
{
    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
