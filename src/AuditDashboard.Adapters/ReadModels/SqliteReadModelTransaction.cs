using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>One write transaction on the read-model file's writer connection, holding the store's write lock until disposed.</summary>
internal sealed class SqliteReadModelTransaction(SqliteConnection writer, SqliteTransaction transaction, SemaphoreSlim writeLock, bool lookupsPending) : IReadModelTransaction
{
    private SqliteCommand? _upsert;
    private SqliteCommand? _putMark;
    private (SqliteRawStatement Row, SqliteRawStatement? Words)? _putEvent;
    private SqliteCommand? _putCommandEvent;
    private int _disposed;

    public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(SqliteAccountRows.Find(writer, accountId, transaction));

    public Task PutAccountsAsync(IReadOnlyCollection<AccountState> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var upsert = _upsert ??= CreateUpsert();
        foreach (var account in accounts)
            SqliteAccountRows.Execute(upsert, account);
        return Task.CompletedTask;
    }

    public Task PutMarksAsync(IReadOnlyCollection<AccountState> marks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marks);
        var put = _putMark ??= Prepare($"INSERT OR REPLACE INTO marks ({SqliteAccountRows.Columns}) VALUES ({SqliteAccountRows.Parameters})");
        foreach (var mark in marks)
        {
            if (mark.Revision is null)
                throw new ArgumentException("A mark is the state after an event: its revision cannot be null.", nameof(marks));
            SqliteAccountRows.Execute(put, mark);
        }

        return Task.CompletedTask;
    }

    public Task PutEventsAsync(IReadOnlyCollection<IndexedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        // During a first build the rows alone are written: their words are indexed with every other row's at its end.
        var put = _putEvent ??= SqliteEventRows.Prepare(writer, withWords: !lookupsPending);
        foreach (var e in events)
            SqliteEventRows.Put(put, e);
        return Task.CompletedTask;
    }

    public Task PutCommandEventsAsync(IReadOnlyCollection<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var put = _putCommandEvent ??= SqliteCommandEvents.Prepare(writer, transaction);
        foreach (var e in events)
            SqliteCommandEvents.Put(put, e);
        return Task.CompletedTask;
    }

    public Task SetCheckpointAsync(string projection, long position, CancellationToken cancellationToken = default)
    {
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO checkpoints (projection, position) VALUES ($projection, $position) ON CONFLICT (projection) DO UPDATE SET position = excluded.position";
        command.Parameters.AddWithValue("$projection", projection);
        command.Parameters.AddWithValue("$position", position);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        transaction.Commit();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            if (_upsert is not null)
                await _upsert.DisposeAsync();
            if (_putMark is not null)
                await _putMark.DisposeAsync();
            if (_putCommandEvent is not null)
                await _putCommandEvent.DisposeAsync();
            if (_putEvent is var (row, words))
            {
                row.Dispose();
                words?.Dispose();
            }

            // Disposing a transaction that was not committed rolls it back.
            await transaction.DisposeAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private SqliteCommand CreateUpsert() => Prepare($"""
        INSERT INTO accounts ({SqliteAccountRows.Columns}) VALUES ({SqliteAccountRows.Parameters})
        ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, currency = excluded.currency, balance = excluded.balance,
            status = excluded.status, revision = excluded.revision, opened_at = excluded.opened_at,
            last_changed_at = excluded.last_changed_at, event_count = excluded.event_count
        """);

    private SqliteCommand Prepare(string sql)
    {
        var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in SqliteAccountRows.Parameters.Split(", "))
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }
}
