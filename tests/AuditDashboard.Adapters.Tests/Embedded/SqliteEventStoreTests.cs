using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>What only the SQLite file store does: the file, its failures, other processes on the same file.</summary>
public sealed class SqliteEventStoreTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempFolder _directory = new();
    private readonly string _path;

    public SqliteEventStoreTests() => _path = _directory.File("audit.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AppendMany_IsOneTransaction_ARefusedStreamLeavesEveryOtherUnwritten_AndAllShareOneCommitTime()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await OpenStoreAsync();
        await store.AppendAsync("taken", ExpectedRevision.NoStream, [NewEvent()], cancel);

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.AppendManyAsync(
            [new StreamAppend("first", ExpectedRevision.NoStream, [NewEvent(), NewEvent()]), new StreamAppend("taken", ExpectedRevision.NoStream, [NewEvent()])], cancel));
        var untouched = await store.ReadStreamAsync("first", Direction.Forwards, 0, 10, cancel).ToListAsync(cancel);
        await store.AppendManyAsync(
            [new StreamAppend("first", ExpectedRevision.NoStream, [NewEvent(), NewEvent()]), new StreamAppend("second", ExpectedRevision.NoStream, [NewEvent()])], cancel);
        var written = await store.ReadAllAsync(Direction.Forwards, 0, 10, null, cancel).Where(e => e.StreamId != "taken").ToListAsync(cancel);

        Assert.Empty(untouched);
        Assert.Equal(["first", "first", "second"], written.Select(e => e.StreamId));
        Assert.Single(written.Select(e => e.Created).Distinct());
    }

    [Fact]
    public async Task Initialize_OnAFileThatIsNotADatabase_ThrowsUnavailableNamingThePath()
    {
        await File.WriteAllBytesAsync(_path, Encoding.ASCII.GetBytes(new string('x', 8192)), TestContext.Current.CancellationToken);
        await using var store = new SqliteEventStore($"Data Source={_path}");

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 20_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Initialize_OnAFileLockedByAnotherConnection_ThrowsUnavailableNamingThePathWithinTheStartupTimeout(bool existingStore)
    {
        if (existingStore)
        {
            await using var earlier = await OpenStoreAsync();
            await earlier.AppendAsync("s", ExpectedRevision.NoStream, [NewEvent()], TestContext.Current.CancellationToken);
        }

        using var locker = new SqliteConnection($"Data Source={_path};Pooling=False");
        locker.Open();
        Execute(locker, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions(_path) { StartupTimeout = TimeSpan.FromMilliseconds(200) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains("locked by another process", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Start-up waited {clock.Elapsed} for the lock.");
    }

    [Fact]
    public async Task Initialize_OnAPathThatIsAFolder_ThrowsUnavailableNamingThePath()
    {
        Directory.CreateDirectory(_path);
        await using var store = new SqliteEventStore(_path);

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_OnADatabaseOfAnotherApplication_ThrowsUnavailableAndLeavesItAlone()
    {
        using (var other = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            other.Open();
            Execute(other, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }

        await using var store = new SqliteEventStore(_path);

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(_path, "SELECT count(*) FROM sqlite_schema WHERE name = 'events'"));
    }

    [Fact]
    public async Task Initialize_OnAFileOfANewerSchemaVersion_ThrowsUnavailableNamingTheVersion()
    {
        using (var newer = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            newer.Open();
            Execute(newer, $"PRAGMA user_version = {SqliteEventStore.SchemaVersion + 1}");
        }

        await using var store = new SqliteEventStore(_path);

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {SqliteEventStore.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_OnANewPath_CreatesTheFolderAndAWalFileWithTheSchemaVersion()
    {
        var path = Path.Combine(_directory.Path, "data", "nested", "audit.db");
        await using var store = new SqliteEventStore($"Data Source={path}");

        await store.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(path));
        Assert.Equal(path, store.FilePath);
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteEventStore.SchemaVersion, Scalar(path, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Initialize_CalledTwice_IsHarmless()
    {
        await using var store = await OpenStoreAsync();
        await store.AppendAsync("s", ExpectedRevision.NoStream, [NewEvent()], TestContext.Current.CancellationToken);

        await store.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await store.GetLastRevisionAsync("s", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WasClosedCleanly_IsTrueAfterADispose_AndFalseForAFileLeftWithItsWriteAheadLog_AsACrashLeavesIt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var crashed = _directory.File("crashed/audit.db");
        await using (var first = await OpenStoreAsync())
        {
            await first.AppendAsync("account-1", ExpectedRevision.NoStream, [NewEvent(), NewEvent()], cancellation);

            // The files as a crash leaves them: taken while the store is open, its log not yet folded into the file.
            Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
            File.Copy(_path, crashed);
            File.Copy(_path + "-wal", crashed + "-wal");
        }

        var logLeft = new FileInfo(crashed + "-wal").Length;

        await using var reopened = await OpenStoreAsync();
        await using var recovered = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={crashed}"));
        await recovered.InitializeAsync(cancellation);

        Assert.True(reopened.WasClosedCleanly);
        Assert.True(logLeft > 0, "the copied log is empty: the test shows no crash");
        Assert.False(recovered.WasClosedCleanly);
        Assert.Equal(1, await recovered.GetLastRevisionAsync("account-1", cancellation));
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEveryEvent()
    {
        var events = Enumerable.Range(0, 25).Select(_ => NewEvent()).ToArray();
        await using (var first = await OpenStoreAsync())
        {
            await first.AppendAsync("account-1", ExpectedRevision.NoStream, events[..10], TestContext.Current.CancellationToken);
            await first.AppendAsync("account-2", ExpectedRevision.NoStream, events[10..], TestContext.Current.CancellationToken);
        }

        await using var reopened = await OpenStoreAsync();

        var all = await reopened.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, null, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(events.Select(e => e.EventId), all.Select(e => e.EventId));
        Assert.Equal(events.Select(e => e.Data.ToArray()), all.Select(e => e.Data.ToArray()));
        Assert.Equal(9, await reopened.GetLastRevisionAsync("account-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Append_ToANewFile_NumbersPositionsFromOneWithoutGaps()
    {
        await using var store = await OpenStoreAsync();

        var first = await store.AppendAsync("a", ExpectedRevision.NoStream, [NewEvent(), NewEvent()], TestContext.Current.CancellationToken);
        var second = await store.AppendAsync("b", ExpectedRevision.NoStream, [NewEvent()], TestContext.Current.CancellationToken);

        var all = await store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, null, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([1L, 2L, 3L], all.Select(e => e.Position));
        Assert.Equal(2, first.Position);
        Assert.Equal(3, second.Position);
    }

    [Fact]
    public async Task Append_Created_IsTheInjectedClocksTimeToTheTickForEveryEventOfTheBatch()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_567);
        await using var store = await OpenStoreAsync(time: new ManualTimeProvider(now));

        await store.AppendAsync("s", ExpectedRevision.NoStream, [NewEvent(), NewEvent(), NewEvent()], TestContext.Current.CancellationToken);

        var stored = await store.ReadStreamAsync("s", Direction.Forwards, 0, long.MaxValue, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(stored, e => Assert.Equal(now, e.Created));
        Assert.All(stored, e => Assert.Equal(TimeSpan.Zero, e.Created.Offset));
    }

    [Fact]
    public async Task Append_WhenTheClockStepsBack_KeepsCreatedNonDecreasingInPositionOrder()
    {
        var later = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(later);
        await using var store = await OpenStoreAsync(time: clock);
        await store.AppendAsync("s", ExpectedRevision.NoStream, [NewEvent()], TestContext.Current.CancellationToken);
        clock.Now = later.AddMinutes(-5);

        await store.AppendAsync("s", ExpectedRevision.Exact(0), [NewEvent()], TestContext.Current.CancellationToken);

        var stored = await store.ReadStreamAsync("s", Direction.Forwards, 0, long.MaxValue, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([later, later], stored.Select(e => e.Created));
    }

    [Fact]
    public async Task Append_BatchWithANewFirstIdAndALaterIdAlreadyInTheStream_ThrowsConflictAndWritesNothing()
    {
        await using var store = await OpenStoreAsync();
        var stored = NewEvent();
        await store.AppendAsync("s", ExpectedRevision.NoStream, [stored], TestContext.Current.CancellationToken);

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => store.AppendAsync("s", ExpectedRevision.Exact(0), [NewEvent(), stored], TestContext.Current.CancellationToken));

        Assert.Equal(0, conflict.ActualRevision);
        Assert.Equal(0, await store.GetLastRevisionAsync("s", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Append_BatchWithTheSameIdTwice_ThrowsArgumentException()
    {
        await using var store = await OpenStoreAsync();
        var twice = NewEvent();

        await Assert.ThrowsAsync<ArgumentException>(
            () => store.AppendAsync("s", ExpectedRevision.NoStream, [twice, twice], TestContext.Current.CancellationToken));

        Assert.Null(await store.GetLastRevisionAsync("s", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Append_BeforeInitialize_ThrowsInvalidOperationException()
    {
        await using var store = new SqliteEventStore(_path);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.AppendAsync("s", ExpectedRevision.Any, [NewEvent()], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Append_AfterDispose_ThrowsObjectDisposedException()
    {
        var store = await OpenStoreAsync();

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.AppendAsync("s", ExpectedRevision.Any, [NewEvent()], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Append_TwentyBatchesOfAThousand_ReadsBackEveryEventInOrder()
    {
        await using var store = await OpenStoreAsync();
        var events = Enumerable.Range(0, 20_000).Select(_ => NewEvent()).ToArray();

        foreach (var batch in events.Chunk(1000))
        {
            await store.AppendAsync("bulk", ExpectedRevision.Any, batch, TestContext.Current.CancellationToken);
        }

        var stored = await store.ReadStreamAsync("bulk", Direction.Forwards, 0, long.MaxValue, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(events.Select(e => e.EventId), stored.Select(e => e.EventId));
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), stored.Select(e => e.Revision));
    }

    [Fact(Timeout = 30_000)]
    public async Task Append_FromTwoInstancesOnTheSameFileAtOnce_KeepsEveryEventWithDistinctIncreasingPositions()
    {
        await using var one = await OpenStoreAsync();
        await using var other = await OpenStoreAsync();

        await Task.WhenAll(
            Task.Run(() => AppendOneByOneAsync(one, "one", 300, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken),
            Task.Run(() => AppendOneByOneAsync(other, "other", 300, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken));

        var all = await one.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, null, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), all.Select(e => e.Position));
        Assert.Equal(299, await other.GetLastRevisionAsync("one", TestContext.Current.CancellationToken));
        Assert.Equal(299, await one.GetLastRevisionAsync("other", TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscribe_OnOneInstance_SeesEventsAppendedByAnotherInstanceOnTheSameFile()
    {
        await using var subscriber = await OpenStoreAsync(options => options.PollInterval = TimeSpan.FromMilliseconds(50));
        await using var otherProcess = await OpenStoreAsync();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(Patience);
        await using var subscription = subscriber.SubscribeToAllAsync(null, "account-", patience.Token).GetAsyncEnumerator(patience.Token);
        Assert.True(await subscription.MoveNextAsync());
        Assert.IsType<SubscriptionMessage.CaughtUp>(subscription.Current);
        var written = NewEvent();

        await otherProcess.AppendAsync("account-7", ExpectedRevision.NoStream, [written], patience.Token);

        Assert.True(await subscription.MoveNextAsync(), "The event written by the other instance never arrived.");
        Assert.Equal(written.EventId, Assert.IsType<SubscriptionMessage.EventAppeared>(subscription.Current).Record.EventId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscribe_SeesAnAppendOfTheSameInstanceWithoutWaitingForThePoll()
    {
        await using var store = await OpenStoreAsync(options => options.PollInterval = TimeSpan.FromMinutes(1));
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(Patience);
        await using var subscription = store.SubscribeToStreamAsync("s", null, patience.Token).GetAsyncEnumerator(patience.Token);
        Assert.True(await subscription.MoveNextAsync());
        var written = NewEvent();

        await store.AppendAsync("s", ExpectedRevision.NoStream, [written], patience.Token);

        Assert.True(await subscription.MoveNextAsync(), "The append did not wake the subscription.");
        Assert.Equal(written.EventId, Assert.IsType<SubscriptionMessage.EventAppeared>(subscription.Current).Record.EventId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_EndsOpenSubscriptionsQuietly()
    {
        var store = await OpenStoreAsync(options => options.PollInterval = TimeSpan.FromMinutes(1));
        await using var subscription = store.SubscribeToAllAsync(null, null, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await subscription.MoveNextAsync());
        var waiting = subscription.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        Assert.False(await waiting.WaitAsync(Patience, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadStream_WhileTheConsumerPausesMidway_HoldsNoReadTransactionThatBlocksACheckpoint()
    {
        await using var store = await OpenStoreAsync(options => options.ReadPageSize = 50);
        await store.AppendAsync("s", ExpectedRevision.NoStream, [.. Enumerable.Range(0, 200).Select(_ => NewEvent())], TestContext.Current.CancellationToken);
        await using var reader = store.ReadStreamAsync("s", Direction.Forwards, 0, long.MaxValue, TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await reader.MoveNextAsync());

        // A checkpoint that truncates the WAL fails (busy = 1) while any connection holds a read transaction.
        var busy = Scalar(_path, "PRAGMA wal_checkpoint(TRUNCATE)");

        Assert.Equal(0L, busy);
        var rest = 1;
        while (await reader.MoveNextAsync())
        {
            rest++;
        }

        Assert.Equal(200, rest);
    }

    [Fact]
    public async Task IsReachable_OnAFileThatIsNotADatabase_IsFalse()
    {
        await File.WriteAllBytesAsync(_path, Encoding.ASCII.GetBytes(new string('x', 8192)), TestContext.Current.CancellationToken);
        await using var store = new SqliteEventStore(_path);

        var reachable = await store.IsReachableAsync(TestContext.Current.CancellationToken);

        Assert.False(reachable);
    }

    [Fact]
    public async Task IsReachable_AfterDispose_IsFalse()
    {
        var store = await OpenStoreAsync();
        await store.DisposeAsync();

        var reachable = await store.IsReachableAsync(TestContext.Current.CancellationToken);

        Assert.False(reachable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=audit.db;Mode=Memory")]
    [InlineData("Data Source=audit.db;Cache=Shared")]
    public void Constructor_WithoutAUsableFilePath_ThrowsArgumentException(string connectionString)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SqliteEventStore(connectionString));
    }

    [Fact]
    public void Constructor_WithAnOptionOutOfRange_ThrowsArgumentExceptionNamingIt()
    {
        var options = new EmbeddedStoreOptions(_path) { PollInterval = TimeSpan.Zero };

        var error = Assert.ThrowsAny<ArgumentException>(() => new SqliteEventStore(options));

        Assert.Contains(nameof(EmbeddedStoreOptions.PollInterval), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_WithAPlainPath_UsesThatFile()
    {
        await using var store = new SqliteEventStore(_path);

        await store.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_path, store.FilePath);
        Assert.True(File.Exists(_path));
    }

    private static EventData NewEvent() => new(
        Guid.NewGuid(),
        "ThingHappened",
        Encoding.UTF8.GetBytes($$"""{"value":{{Random.Shared.Next()}},"note":"{{new string('n', 200)}}"}"""),
        Encoding.UTF8.GetBytes("""{"actor":"sqlite-test","reason":"testing"}"""));

    private static async Task AppendOneByOneAsync(SqliteEventStore store, string stream, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(stream, ExpectedRevision.Of(i == 0 ? null : i - 1), [NewEvent()], cancellationToken);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private async Task<SqliteEventStore> OpenStoreAsync(Action<EmbeddedStoreOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new EmbeddedStoreOptions($"Data Source={_path}");
        configure?.Invoke(options);
        var store = new SqliteEventStore(options, time);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
