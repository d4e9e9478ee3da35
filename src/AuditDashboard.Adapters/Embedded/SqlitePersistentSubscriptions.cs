using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using static AuditDashboard.Adapters.Embedded.SqliteRows;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// Persistent subscriptions in the same file as the events: a group's settings and checkpoint in
/// <c>subscription_groups</c>, its parked events in <c>subscription_parked</c>. Delivery state (what is in flight,
/// retry counts) lives in the consumer's connection, so after a restart the events after the checkpoint are delivered
/// again with a retry count of 0. One consumer per group at a time; its new events come from a catch-up subscription.
/// </summary>
internal sealed class SqlitePersistentSubscriptions(SqliteStoreFile file, SqliteCatchUpSubscriptions catchUp, TimeProvider timeProvider) : IPersistentSubscriptions
{
    private const string GroupColumns = "name, stream_prefix, start_after, max_retry_count, checkpoint";

    private readonly ConcurrentDictionary<string, EmbeddedPersistentSubscription> _consumers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default)
    {
        ValidateGroup(groupName, settings);
        try
        {
            await WriteAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO subscription_groups (name, stream_prefix, start_after, max_retry_count, checkpoint, created)
                    VALUES ($name, $prefix, $start, $retries, NULL, $created)
                    """;
                command.Parameters.AddWithValue("$name", groupName);
                command.Parameters.AddWithValue("$prefix", (object?)NullIfEmpty(settings.StreamPrefix) ?? DBNull.Value);
                command.Parameters.AddWithValue("$start", (object?)settings.StartAfter ?? DBNull.Value);
                command.Parameters.AddWithValue("$retries", settings.MaxRetryCount);
                command.Parameters.AddWithValue("$created", timeProvider.GetUtcNow().UtcTicks);
                return command.ExecuteNonQuery();
            }, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new PersistentSubscriptionExistsException(groupName);
        }
    }

    /// <inheritdoc />
    public async Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default)
    {
        ValidateGroup(groupName, settings);
        var changed = await WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE subscription_groups SET stream_prefix = $prefix, max_retry_count = $retries WHERE name = $name";
            command.Parameters.AddWithValue("$name", groupName);
            command.Parameters.AddWithValue("$prefix", (object?)NullIfEmpty(settings.StreamPrefix) ?? DBNull.Value);
            command.Parameters.AddWithValue("$retries", settings.MaxRetryCount);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (changed == 0)
            throw new PersistentSubscriptionNotFoundException(groupName);
        await DropConsumerAsync(groupName, "the group's settings were updated");
    }

    /// <inheritdoc />
    public async Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        await DropConsumerAsync(groupName, "the group was deleted");
        var deleted = await WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM subscription_parked WHERE group_name = $name; DELETE FROM subscription_groups WHERE name = $name";
            command.Parameters.AddWithValue("$name", groupName);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (deleted == 0)
            throw new PersistentSubscriptionNotFoundException(groupName);
    }

    /// <inheritdoc />
    public async Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);

        // The consumer first: one that disconnects meanwhile has saved its checkpoint before it left, so the group read
        // next is not older than what it reported (read the other way round, a disconnection in between showed a stale one).
        _consumers.TryGetValue(groupName, out var consumer);
        var group = await ReadGroupAsync(groupName, cancellationToken);
        if (group is null)
            return null;

        var parked = await ReadScalarAsync("SELECT count(*) FROM subscription_parked WHERE group_name = $name", groupName, cancellationToken);
        var checkpoint = consumer is not null ? consumer.Checkpoint ?? group.Checkpoint : group.Checkpoint;
        return new PersistentSubscriptionInfo(groupName, group.Settings, checkpoint, parked, consumer is null ? 0 : 1);
    }

    /// <inheritdoc />
    public async Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        file.ThrowIfNotInitialized();
        var group = await ReadGroupAsync(groupName, cancellationToken) ?? throw new PersistentSubscriptionNotFoundException(groupName);
        var consumer = new EmbeddedPersistentSubscription(this, catchUp, groupName, group.Settings, group.Checkpoint ?? group.Settings.StartAfter, bufferSize);
        if (!_consumers.TryAdd(groupName, consumer))
        {
            throw new InvalidOperationException(
                $"The persistent subscription '{groupName}' already has a consumer in this process; the embedded store serves one at a time.");
        }

        return consumer;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        foreach (var parked in await ReadParkedPageAsync(groupName, maxCount, replayOnly: false, cancellationToken))
            yield return parked;
    }

    /// <inheritdoc />
    public async Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        if (await ReadGroupAsync(groupName, cancellationToken) is null)
            throw new PersistentSubscriptionNotFoundException(groupName);
        await WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE subscription_parked SET replay = 1 WHERE group_name = $name";
            command.Parameters.AddWithValue("$name", groupName);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (_consumers.TryGetValue(groupName, out var consumer))
            consumer.ReplayRequested();
    }

    public void Disconnected(EmbeddedPersistentSubscription consumer) =>
        _consumers.TryRemove(new KeyValuePair<string, EmbeddedPersistentSubscription>(consumer.GroupName, consumer));

    public Task SaveCheckpointAsync(string groupName, long checkpoint, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();

            // Never backwards: two saves racing must leave the later position.
            command.CommandText = "UPDATE subscription_groups SET checkpoint = $checkpoint WHERE name = $name AND (checkpoint IS NULL OR checkpoint < $checkpoint)";
            command.Parameters.AddWithValue("$name", groupName);
            command.Parameters.AddWithValue("$checkpoint", checkpoint);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Parks events (or parks again replayed ones): written before the checkpoint may pass them.</summary>
    public Task ParkAsync(string groupName, IReadOnlyList<(long Position, int RetryCount)> events, string reason, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO subscription_parked (group_name, position, reason, parked_at, retry_count, replay)
                VALUES ($name, $position, $reason, $at, $retries, 0)
                ON CONFLICT (group_name, position) DO UPDATE SET reason = excluded.reason, parked_at = excluded.parked_at,
                    retry_count = excluded.retry_count, replay = 0
                """;
            command.Parameters.AddWithValue("$name", groupName);
            var position = command.Parameters.Add("$position", SqliteType.Integer);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$at", timeProvider.GetUtcNow().UtcTicks);
            var retries = command.Parameters.Add("$retries", SqliteType.Integer);
            foreach (var (p, r) in events)
            {
                position.Value = p;
                retries.Value = r;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return events.Count;
        }, cancellationToken);

    /// <summary>Removes replayed events from the parked list once they were handled.</summary>
    public Task UnparkAsync(string groupName, IReadOnlyList<long> positions, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM subscription_parked WHERE group_name = $name AND position = $position";
            command.Parameters.AddWithValue("$name", groupName);
            var position = command.Parameters.Add("$position", SqliteType.Integer);
            foreach (var p in positions)
            {
                position.Value = p;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return positions.Count;
        }, cancellationToken);

    /// <summary>Parked events of the group, oldest first; with <paramref name="replayOnly"/>, those asked to be delivered again.</summary>
    public async Task<List<ParkedEvent>> ReadParkedPageAsync(string groupName, long maxCount, bool replayOnly, CancellationToken cancellationToken)
    {
        var result = new List<ParkedEvent>();
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT e.position, e.stream_id, e.revision, e.event_id, e.event_type, e.data, e.metadata, e.created, p.reason, p.parked_at, p.retry_count
                FROM subscription_parked p JOIN events e ON e.position = p.position
                WHERE p.group_name = $name {(replayOnly ? "AND p.replay = 1" : "")}
                ORDER BY p.parked_at, p.position LIMIT $count
                """;
            command.Parameters.AddWithValue("$name", groupName);
            command.Parameters.AddWithValue("$count", maxCount);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new ParkedEvent(ReadRecord(reader, null), reader.GetString(8), new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero), (int)reader.GetInt64(10)));
            }
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }

        return result;
    }

    /// <summary>Ends every consumer (the store is shutting down); they save their checkpoints first, while the writer is still open.</summary>
    public async Task DropAllAsync(string reason)
    {
        foreach (var consumer in _consumers.Values)
        {
            await consumer.DropAsync(reason);
        }
    }

    private async Task DropConsumerAsync(string groupName, string reason)
    {
        if (_consumers.TryGetValue(groupName, out var consumer))
            await consumer.DropAsync(reason);
    }

    private async Task<Group?> ReadGroupAsync(string groupName, CancellationToken cancellationToken)
    {
        file.ThrowIfNotInitialized();
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {GroupColumns} FROM subscription_groups WHERE name = $name";
            command.Parameters.AddWithValue("$name", groupName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            var settings = new PersistentSubscriptionSettings(
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                (int)reader.GetInt64(3));
            return new Group(settings, reader.IsDBNull(4) ? null : reader.GetInt64(4));
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }
    }

    private async Task<long> ReadScalarAsync(string sql, string groupName, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await file.OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$name", groupName);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            throw file.Unavailable(e);
        }
    }

    /// <summary>Runs a small write on the writer connection, under the write lock appends take.</summary>
    private Task<int> WriteAsync(Func<SqliteConnection, int> write, CancellationToken cancellationToken) =>
        file.WriteAsync(writer => write(writer.Connection), cancellationToken);

    private static void ValidateGroup(string groupName, PersistentSubscriptionSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxRetryCount, nameof(settings));
        if (settings.StartAfter is { } start)
            ArgumentOutOfRangeException.ThrowIfNegative(start, nameof(settings));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record Group(PersistentSubscriptionSettings Settings, long? Checkpoint);
}
