using AuditDashboard.Adapters.Kafka;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>
/// A real SQLite store, a real Kafka protocol (librdkafka's mock cluster, in this process) and the mirror between them;
/// the topic is read back with a separate consumer.
/// </summary>
internal sealed class MirrorFixture : IAsyncDisposable
{
    private readonly TempFolder _directory;
    private CancellationTokenSource _stop = new();
    private Task? _running;

    private MirrorFixture(SqliteEventStore store, KafkaTestCluster cluster, MirrorSettings settings, TempFolder directory)
    {
        _directory = directory;
        Store = store;
        Cluster = cluster;
        Settings = settings;
        Mirror = new KafkaMirror(store, settings);
    }

    public SqliteEventStore Store { get; private set; }

    public KafkaTestCluster Cluster { get; }

    public MirrorSettings Settings { get; }

    public KafkaMirror Mirror { get; private set; }

    public string DatabasePath => _directory.File("events.db");

    public static async Task<MirrorFixture> StartAsync(CancellationToken cancellationToken, int partitions = 3, IReadOnlyDictionary<string, string>? producer = null, bool run = true)
    {
        var directory = new TempFolder();
        var store = new SqliteEventStore($"Data Source={directory.File("events.db")}");
        await store.InitializeAsync(cancellationToken);
        var cluster = new KafkaTestCluster();
        var settings = new MirrorSettings(cluster.BootstrapServers, "account-events", producer ?? new Dictionary<string, string>()) { Partitions = partitions, BufferSize = 1_000 };
        var fixture = new MirrorFixture(store, cluster, settings, directory);
        if (run)
            fixture.Start();
        return fixture;
    }

    public void Start() => _running = Mirror.RunAsync(_stop.Token);

    /// <summary>Stops the mirror as the application would on shutdown.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
            await _running;
        _running = null;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    public static EventData Event(int value, string type = "FundsDeposited") =>
        new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes($$"""{"amount":{{value}},"currency":"EUR"}"""), """{"actor":"test","reason":"mirror test"}"""u8.ToArray());

    /// <summary>Appends <paramref name="count"/> events to each of <paramref name="accounts"/> streams, interleaved, in batches.</summary>
    public async Task<List<RecordedEvent>> AppendAsync(int accounts, int count, CancellationToken cancellationToken, string prefix = "account-T")
    {
        for (var i = 0; i < count; i += 10)
        {
            for (var a = 0; a < accounts; a++)
            {
                await Store.AppendAsync($"{prefix}{a:D3}", ExpectedRevision.Any, [.. Enumerable.Range(i, Math.Min(10, count - i)).Select(v => Event(v))], cancellationToken);
            }
        }

        return await Store.ReadAllAsync(Direction.Forwards, 0, long.MaxValue, prefix, cancellationToken).ToListAsync(cancellationToken);
    }

    /// <summary>Everything the topic holds.</summary>
    public List<ConsumeResult<string, byte[]>> ReadTopic(CancellationToken cancellationToken)
    {
        var partitions = TopicReader.Partitions(Settings.BootstrapServers, Settings.Topic);
        return TopicReader.Read(Settings.BootstrapServers, Settings.Topic, partitions, (_, low, _) => low, cancellationToken).ToList();
    }

    /// <summary>Waits until the mirror has acknowledged everything up to <paramref name="position"/>.</summary>
    public Task UntilMirroredAsync(long position, TimeSpan patience, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(
            () => Mirror.Status().LastMirroredPosition >= position,
            $"the mirror to reach position {position}",
            patience,
            cancellationToken,
            () => $"{Mirror.Status()}");

    /// <summary>A new mirror on the same store and cluster, as after a restart of the application.</summary>
    public async Task RestartAsync(bool reopenStore, CancellationToken cancellationToken, Action? beforeReopening = null)
    {
        await StopAsync();
        if (reopenStore)
        {
            await Store.DisposeAsync();
            beforeReopening?.Invoke();
            Store = new SqliteEventStore($"Data Source={DatabasePath}");
            await Store.InitializeAsync(cancellationToken);
        }

        Mirror = new KafkaMirror(Store, Settings);
        Start();
    }

    /// <summary>Changes the store's file behind its back (the store must be closed).</summary>
    public void ExecuteSql(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        Cluster.Dispose();
        _stop.Dispose();
        _directory.Dispose();
    }
}
