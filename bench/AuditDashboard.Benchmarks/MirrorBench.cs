using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Core.Mirror;
using Confluent.Kafka;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- mirror</c>: the Kafka mirror against the
/// in-process test cluster. Prints (1) sustained throughput mirroring 100,000 stored events, next to a plain producer
/// loop sending the same messages (the baseline), and (2) append-to-Kafka-acknowledged latency at a steady 1,000
/// events/s for 20 s (p50, p99, max): the time from the append's commit to Kafka's confirmation, seen by a consumer.
/// </summary>
public static class MirrorBench
{
    private const int Events = 100_000;
    private const int Accounts = 200;

    public static async Task RunAsync()
    {
        Console.WriteLine($"Kafka mirror bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        for (var round = 1; round <= 3; round++)
            await ThroughputAsync(round);
        await LatencyAsync(TimeSpan.FromSeconds(20), ratePerSecond: 1_000);
    }

    private static EventData Event(int i) => new(Guid.NewGuid(), "FundsDeposited",
        Encoding.UTF8.GetBytes($$"""{"amount":{{i % 5000}}.25,"currency":"EUR","reference":"TRX-{{i}}"}"""),
        """{"actor":"bench","reason":"load","correlationId":"bench","source":"bench"}"""u8.ToArray());

    private static async Task ThroughputAsync(int round)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mirror-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = new SqliteEventStore($"Data Source={Path.Combine(folder, "events.db")}");
            await store.InitializeAsync();
            for (var i = 0; i < Events; i += 100)
                await store.AppendAsync($"account-B{i / 100 % Accounts:D4}", ExpectedRevision.Any, [.. Enumerable.Range(i, 100).Select(Event)]);
            var stored = await store.ReadAllAsync(Direction.Forwards, 0, long.MaxValue, "account-").ToListAsync();

            // Baseline: the same messages through one producer, Produce in a loop then Flush.
            using (var baselineCluster = new KafkaTestCluster())
            {
                baselineCluster.CreateTopic("baseline", 3);
                var config = KafkaMirror.ProducerConfig(new MirrorSettings(baselineCluster.BootstrapServers, "baseline", new Dictionary<string, string>()));
                using var producer = new ProducerBuilder<string, byte[]>(config).SetLogHandler(static (_, _) => { }).Build();
                var clock = Stopwatch.StartNew();
                foreach (var e in stored)
                {
                    while (true)
                    {
                        try
                        {
                            producer.Produce("baseline", new Message<string, byte[]> { Key = e.StreamId, Value = e.Data.ToArray(), Headers = MirrorHeaders.For(e) });
                            break;
                        }
                        catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                        {
                            producer.Poll(TimeSpan.FromMilliseconds(10));
                        }
                    }
                }

                producer.Flush(TimeSpan.FromMinutes(1));
                var baseline = Events / clock.Elapsed.TotalSeconds;

                using var cluster = new KafkaTestCluster();
                cluster.CreateTopic("account-events", 3);
                var mirror = new KafkaMirror(store, new MirrorSettings(cluster.BootstrapServers, "account-events", new Dictionary<string, string>()));
                using var stop = new CancellationTokenSource();
                clock.Restart();
                var running = mirror.RunAsync(stop.Token);
                while (mirror.Status().LastMirroredPosition is not { } done || done < stored[^1].Position)
                    await Task.Delay(5);
                var elapsed = clock.Elapsed;
                await stop.CancelAsync();
                await running;
                var rate = Events / elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: mirror {Events:N0} events in {elapsed.TotalSeconds:0.00} s = {rate:N0} events/s (acked on the subscription); plain producer loop {baseline:N0} msg/s; ratio {rate / baseline:0.00}"));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task LatencyAsync(TimeSpan duration, int ratePerSecond)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mirror-bench-" + Guid.NewGuid().ToString("N"));
        using var cluster = new KafkaTestCluster();
        cluster.CreateTopic("account-events", 3);
        await using var store = new SqliteEventStore($"Data Source={Path.Combine(folder, "events.db")}");
        await store.InitializeAsync();
        var mirror = new KafkaMirror(store, new MirrorSettings(cluster.BootstrapServers, "account-events", new Dictionary<string, string>()));
        using var stop = new CancellationTokenSource();
        var running = mirror.RunAsync(stop.Token);

        // A consumer on the topic notes when each event arrives; the append notes when it committed.
        var committed = new System.Collections.Concurrent.ConcurrentDictionary<Guid, long>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var assigned = new TaskCompletionSource();
        var consumer = Task.Run(() =>
        {
            using var c = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers, GroupId = "latency", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false, FetchWaitMaxMs = 5,
            }).SetLogHandler(static (_, _) => { }).Build();

            // Assigned, not subscribed: no group join delays the first messages.
            c.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("account-events", p, Offset.Beginning)));
            assigned.SetResult();
            while (!stop.IsCancellationRequested)
            {
                var m = c.Consume(TimeSpan.FromMilliseconds(100));
                if (m?.Message is null || MirrorHeaders.EventId(m.Message.Headers) is not { } id)
                    continue;
                var arrived = Stopwatch.GetTimestamp();
                if (committed.TryGetValue(id, out var at))
                    latencies.Add(Stopwatch.GetElapsedTime(at, arrived).TotalMilliseconds);
            }

            c.Close();
        });

        await assigned.Task;
        while (mirror.Status().State != MirrorState.Running)
            await Task.Delay(10);
        var interval = TimeSpan.FromSeconds(1.0 / ratePerSecond * 10);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < duration)
        {
            var batch = Enumerable.Range(sent, 10).Select(Event).ToList();
            foreach (var (e, i) in batch.Select((e, i) => (e, i)))
            {
                await store.AppendAsync($"account-L{(sent + i) % Accounts:D4}", ExpectedRevision.Any, [e]);
                committed[e.EventId] = Stopwatch.GetTimestamp();
            }

            sent += batch.Count;
            var due = interval * (sent / 10);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
        }

        await Task.Delay(2_000);
        await stop.CancelAsync();
        await running;
        await consumer;
        var sorted = latencies.Order().ToList();
        double Percentile(double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency at {sent / duration.TotalSeconds:N0} events/s for {duration.TotalSeconds:0} s: {sorted.Count:N0} of {sent:N0} seen; append→Kafka p50 {Percentile(0.50):0.0} ms, p99 {Percentile(0.99):0.0} ms, max {sorted.LastOrDefault():0.0} ms"));
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
