using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>
/// What only the embedded store's persistent subscriptions do: one consumer per group, the upgrade of a version 1
/// file, the end of consumers when the store shuts down, delivery state that lives in the connection.
/// </summary>
public sealed class EmbeddedPersistentSubscriptionTests : IDisposable
{
    private const int TestTimeout = 30_000;

    // The events table as a version 1 file has it: SqliteEventStore's CreateSchemaSql before persistent subscriptions.
    private const string Version1SchemaSql = """
        CREATE TABLE IF NOT EXISTS events (
            position   INTEGER PRIMARY KEY,
            stream_id  TEXT    NOT NULL,
            revision   INTEGER NOT NULL,
            event_id   BLOB    NOT NULL,
            event_type TEXT    NOT NULL,
            data       BLOB    NOT NULL,
            metadata   BLOB    NOT NULL,
            created    INTEGER NOT NULL,
            UNIQUE (stream_id, revision)
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS events_stream_event_id ON events (stream_id, event_id);
        PRAGMA user_version = 1;
        """;

    private readonly TempFolder _directory = new();
    private readonly string _path;

    public EmbeddedPersistentSubscriptionTests() => _path = _directory.File("audit.db");

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = TestTimeout)]
    public async Task Subscribe_WhileTheGroupHasAConsumer_ThrowsInvalidOperationUntilThatConsumerLeaves()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await OpenStoreAsync();
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(store, prefix);
        var events = NewEvents(2);
        await store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, events, ct);
        var first = new PersistentConsumer(await store.SubscribeToAllAsync(group, 10, ct), ct);
        await using (first)
        {
            Assert.Equal(events[0].EventId, (await first.NextAsync()).Event.EventId);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SubscribeToAllAsync(group, 10, ct));

            Assert.Contains(group, error.Message, StringComparison.Ordinal);
            Assert.Equal(1, (await store.GetInfoToAllAsync(group, ct))?.ConnectionCount);

            // Another group of the same store is not affected, and the first consumer goes on.
            var otherGroup = await CreateGroupAsync(store, prefix);
            await using var other = new PersistentConsumer(await store.SubscribeToAllAsync(otherGroup, 10, ct), ct);
            Assert.Equal(events[0].EventId, (await other.NextAsync()).Event.EventId);
            Assert.Equal(events[1].EventId, (await first.NextAsync()).Event.EventId);
        }

        Assert.Equal(0, (await store.GetInfoToAllAsync(group, ct))?.ConnectionCount);
        await using var second = new PersistentConsumer(await store.SubscribeToAllAsync(group, 10, ct), ct);
        var again = await second.CollectAsync(atLeast: 2);
        Assert.Equal(events.Select(e => e.EventId), again.Select(e => e.Event.EventId));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Initialize_OnAVersion1File_UpgradesItToVersion2AndKeepsItsEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var old = NewEvents(3);
        var created = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            Execute(connection, Version1SchemaSql);
            for (var i = 0; i < old.Length; i++)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO events (position, stream_id, revision, event_id, event_type, data, metadata, created)
                    VALUES ($position, $stream, $revision, $id, $type, $data, $metadata, $created)
                    """;
                insert.Parameters.AddWithValue("$position", i + 1L);
                insert.Parameters.AddWithValue("$stream", prefix + "a");
                insert.Parameters.AddWithValue("$revision", (long)i);
                insert.Parameters.AddWithValue("$id", old[i].EventId.ToByteArray());
                insert.Parameters.AddWithValue("$type", old[i].EventType);
                insert.Parameters.AddWithValue("$data", old[i].Data.ToArray());
                insert.Parameters.AddWithValue("$metadata", old[i].Metadata.ToArray());
                insert.Parameters.AddWithValue("$created", created.AddSeconds(i).UtcTicks);
                insert.ExecuteNonQuery();
            }
        }

        Assert.Equal(1L, Scalar("PRAGMA user_version"));

        await using var store = await OpenStoreAsync();

        Assert.Equal((long)SqliteEventStore.SchemaVersion, Scalar("PRAGMA user_version"));
        Assert.Equal(2L, Scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('subscription_groups', 'subscription_parked')"));
        var read = await store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, null, ct).ToListAsync(ct);
        Assert.Equal(old.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Position));
        Assert.Equal(old[1].Data.ToArray(), read[1].Data.ToArray());
        Assert.Equal(created.AddSeconds(2), read[2].Created);

        var group = await CreateGroupAsync(store, prefix);
        await using var consumer = new PersistentConsumer(await store.SubscribeToAllAsync(group, 10, ct), ct);
        var delivered = await consumer.TakeAsync(3);
        Assert.Equal(old.Select(e => e.EventId), delivered.Select(e => e.Event.EventId));
        var appended = NewEvent();
        var result = await store.AppendAsync(prefix + "a", ExpectedRevision.Exact(2), [appended], ct);
        Assert.Equal(3, result.NextExpectedRevision);
        Assert.Equal(appended.EventId, (await consumer.NextAsync()).Event.EventId);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Initialize_OnAVersion1File_ThatAnotherStoreUpgraded_KeepsTheGroups()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            Execute(connection, Version1SchemaSql);
        }

        var group = $"group-{Guid.NewGuid():N}";
        await using (var first = await OpenStoreAsync())
        {
            await first.CreateToAllAsync(group, new PersistentSubscriptionSettings(NewPrefix(), MaxRetryCount: 7), ct);
        }

        await using var second = await OpenStoreAsync();

        Assert.Equal(7, (await second.GetInfoToAllAsync(group, ct))?.Settings.MaxRetryCount);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task DisposingTheStore_WhileAConsumerReads_EndsTheReadWithDroppedAndSavesTheCheckpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var store = await OpenStoreAsync();
        string group;
        PersistentEvent last;
        await using (store)
        {
            group = await CreateGroupAsync(store, prefix);
            await store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(5), ct);
            await using var consumer = new PersistentConsumer(await store.SubscribeToAllAsync(group, 10, ct), ct);
            var delivered = await consumer.TakeAsync(5);

            // One by one and at once: all but the first ack fall within the interval between checkpoint saves.
            foreach (var e in delivered)
            {
                await consumer.AckAsync(e);
            }

            last = delivered[^1];
            var waiting = consumer.NextAsync();

            await store.DisposeAsync();

            var error = await Assert.ThrowsAsync<PersistentSubscriptionDroppedException>(() => waiting);
            Assert.Equal(group, error.GroupName);
        }

        await using var reopened = await OpenStoreAsync();
        var info = await reopened.GetInfoToAllAsync(group, ct);
        Assert.NotNull(info);
        Assert.Equal(last.Event.Position, info.CheckpointPosition);
        Assert.Equal(0, info.ConnectionCount);
        await using var resumed = new PersistentConsumer(await reopened.SubscribeToAllAsync(group, 10, ct), ct);
        await resumed.ExpectNothingAsync();
        var live = NewEvent();
        await reopened.AppendAsync(prefix + "a", ExpectedRevision.Exact(4), [live], ct);
        Assert.Equal(live.EventId, (await resumed.NextAsync()).Event.EventId);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NackRetry_DeliversTheEventAgainBeforeNewOnesAndParksItWithTheRetriedReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await OpenStoreAsync();
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(store, prefix, maxRetryCount: 2);
        var events = NewEvents(2);
        await store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, events, ct);
        await using var consumer = new PersistentConsumer(await store.SubscribeToAllAsync(group, 1, ct), ct);

        var deliveries = new List<(Guid Id, int RetryCount)>();
        for (var i = 0; i < 3; i++)
        {
            var next = await consumer.NextAsync();
            deliveries.Add((next.Event.EventId, next.RetryCount));
            await consumer.NackAsync(NackAction.Retry, "boom", next);
        }

        var after = await consumer.NextAsync();

        Assert.Equal([(events[0].EventId, 0), (events[0].EventId, 1), (events[0].EventId, 2)], deliveries);
        Assert.Equal((events[1].EventId, 0), (after.Event.EventId, after.RetryCount));
        var parked = Assert.Single(await store.ReadParkedAsync(group, 10, ct).ToListAsync(ct));
        Assert.Equal(events[0].EventId, parked.Event.EventId);
        Assert.Equal("Retried 2 times: boom", parked.Reason);
        Assert.Equal(2, parked.RetryCount);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Restart_ForgetsRetryCounts_SoAnEventNackedForRetryComesAgainWithRetryCountZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var events = NewEvents(1);
        string group;
        await using (var store = await OpenStoreAsync())
        {
            group = await CreateGroupAsync(store, prefix);
            await store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, events, ct);
            await using var consumer = new PersistentConsumer(await store.SubscribeToAllAsync(group, 10, ct), ct);
            await consumer.NackAsync(NackAction.Retry, "boom", await consumer.NextAsync());
            Assert.Equal(1, (await consumer.NextAsync()).RetryCount);
        }

        await using var reopened = await OpenStoreAsync();
        await using var resumed = new PersistentConsumer(await reopened.SubscribeToAllAsync(group, 10, ct), ct);
        var again = await resumed.NextAsync();

        Assert.Equal((events[0].EventId, 0), (again.Event.EventId, again.RetryCount));
        var checkpoint = (await reopened.GetInfoToAllAsync(group, ct))?.CheckpointPosition;
        Assert.True(checkpoint is null || checkpoint < again.Event.Position, $"The saved checkpoint {checkpoint} passed an event never acked.");
    }

    private static string NewPrefix() => $"embedded{Guid.NewGuid():N}-";

    private static EventData NewEvent() => new(
        Guid.NewGuid(),
        "ThingHappened",
        Encoding.UTF8.GetBytes($$"""{"value":{{Random.Shared.Next()}}}"""),
        Encoding.UTF8.GetBytes("""{"actor":"embedded-test","reason":"testing"}"""));

    private static EventData[] NewEvents(int count) => [.. Enumerable.Range(0, count).Select(_ => NewEvent())];

    private static async Task<string> CreateGroupAsync(SqliteEventStore store, string prefix, int maxRetryCount = 10)
    {
        var group = $"group-{Guid.NewGuid():N}";
        await store.CreateToAllAsync(group, new PersistentSubscriptionSettings(prefix, MaxRetryCount: maxRetryCount), TestContext.Current.CancellationToken);
        return group;
    }

    private async Task<SqliteEventStore> OpenStoreAsync()
    {
        var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_path}"));
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
