using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.ReadModels;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>One write transaction on the read-model file's writer connection, holding the store's write lock until disposed.</summary>
internal sealed class SqliteReadModelTransaction(SqliteConnection writer, SqliteTransaction transaction, SemaphoreSlim writeLock) : IReadModelTransaction
{
    private SqliteCommand? _upsert;
    private int _disposed;

    public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(SqliteAccountRows.Find(writer, accountId, transaction));

    public Task PutAccountsAsync(IReadOnlyCollection<AccountState> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var upsert = _upsert ??= CreateUpsert();
        foreach (var account in accounts)
        {
            var p = upsert.Parameters;
            p[0].Value = account.AccountId;
            p[1].Value = (object?)account.Owner ?? DBNull.Value;
            p[2].Value = (object?)account.Currency ?? DBNull.Value;
            p[3].Value = account.Balance.ToString(CultureInfo.InvariantCulture);
            p[4].Value = (int)account.Status;
            p[5].Value = (object?)account.Revision ?? DBNull.Value;
            p[6].Value = (object?)account.OpenedAt?.UtcTicks ?? DBNull.Value;
            p[7].Value = (object?)account.LastChangedAt?.UtcTicks ?? DBNull.Value;
            p[8].Value = account.EventCount;
            upsert.ExecuteNonQuery();
        }

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

            // Disposing a transaction that was not committed rolls it back.
            await transaction.DisposeAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private SqliteCommand CreateUpsert()
    {
        var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO accounts ({SqliteAccountRows.Columns}) VALUES ($id, $owner, $currency, $balance, $status, $revision, $opened, $changed, $count)
            ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, currency = excluded.currency, balance = excluded.balance,
                status = excluded.status, revision = excluded.revision, opened_at = excluded.opened_at,
                last_changed_at = excluded.last_changed_at, event_count = excluded.event_count
            """;
        foreach (var name in new[] { "$id", "$owner", "$currency", "$balance", "$status", "$revision", "$opened", "$changed", "$count" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }
}
