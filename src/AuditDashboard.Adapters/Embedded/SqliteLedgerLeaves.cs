using Microsoft.Data.Sqlite;
using SQLitePCL;
using static AuditDashboard.Adapters.Embedded.SqliteRows;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>The ledger check's fast path on the embedded store: the events' stored bytes straight from SQLite, and the append signal.</summary>
internal sealed class SqliteLedgerLeaves(SqliteStoreFile file) : ILedgerLeafSource
{
    // Large pages: the ledger check reads the whole table. Each page is one statement, stepped as the check takes its rows, so
    // a read transaction lasts one page (a few milliseconds) and never holds back a WAL checkpoint for long.
    private const int LeafPageSize = 16_384;

    private const string LeavesSql = $"SELECT {Columns} FROM events WHERE position >= ?1 ORDER BY position LIMIT ?2";

    /// <inheritdoc />
    /// <remarks>
    /// Steps SQLite's statement directly and passes each column's bytes as SQLite holds them: no <c>RecordedEvent</c>, no
    /// string, no array per event. Text columns are UTF-8, the encoding of every file this store creates.
    /// </remarks>
    public void ReadLeaves(long fromPosition, LeafSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        file.ThrowIfNotInitialized();
        file.ThrowIfDamaged();
        try
        {
            using var connection = file.NewReader();
            connection.Open();
            var db = connection.Handle!;
            Check(raw.sqlite3_prepare_v2(db, LeavesSql, out var statement), db);
            using (statement)
            {
                for (var from = fromPosition; ;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    file.ThrowIfDamaged();
                    Check(raw.sqlite3_reset(statement), db);
                    Check(raw.sqlite3_bind_int64(statement, 1, from), db);
                    Check(raw.sqlite3_bind_int(statement, 2, LeafPageSize), db);
                    var rows = 0;
                    int result;
                    while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                    {
                        rows++;
                        var position = raw.sqlite3_column_int64(statement, 0);
                        from = position + 1;
                        var stored = new StoredEventBytes(
                            position,
                            raw.sqlite3_column_blob(statement, 1),
                            raw.sqlite3_column_int64(statement, 2),
                            new Guid(raw.sqlite3_column_blob(statement, 3)),
                            raw.sqlite3_column_blob(statement, 4),
                            raw.sqlite3_column_blob(statement, 5),
                            raw.sqlite3_column_blob(statement, 6),
                            raw.sqlite3_column_int64(statement, 7));
                        if (!sink.Add(stored))
                            return;
                    }

                    if (result != raw.SQLITE_DONE)
                        Check(result, db);
                    if (rows < LeafPageSize)
                        return;
                }
            }
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }
    }

    /// <inheritdoc />
    public Task NextAppendAsync(CancellationToken cancellationToken) => file.WaitForAppendAsync(file.NextAppend, cancellationToken);

    private static void Check(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, db);
    }
}
