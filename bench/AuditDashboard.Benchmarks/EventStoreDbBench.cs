using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.EventStoreDb;
using AuditDashboard.Core.EventStore;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- esdb [connection-string]</c>: the EventStoreDB
/// adapter against a real node, next to the embedded SQLite store (a temp file) doing the same work in the same run.
/// Three rounds, fresh stream names each, of (1) 2,000 sequential single-event appends round-robin over 100 streams
/// (events/s, per-append p50/p99), (2) 100,000 events appended in batches of 100, by one writer and by 8 writers in
/// parallel, (3) reading back one stream of 10,000 events written in a setup step, and reading <c>$all</c> forwards
/// from the position before that setup with a stream-prefix filter. Every figure is printed with the embedded store's
/// and the ratio EventStoreDB / embedded (above 1: EventStoreDB is faster; below 1 for latencies: EventStoreDB is faster).
/// The connection string comes from the argument, else <c>EVENTSTOREDB_BENCH_CONNECTION</c>; without either it exits 2.
/// </summary>
public static class EventStoreDbBench
{
    public const string ConnectionVariable = "EVENTSTOREDB_BENCH_CONNECTION";

    private const int Rounds = 3;
    private const int SingleAppends = 2_000;
    private const int SingleStreams = 100;
    private const int BatchEvents = 100_000;
    private const int BatchSize = 100;
    private const int BatchStreams = 100;
    private const int Writers = 8;
    private const int ReadEvents = 10_000;

    private static readonly byte[] Metadata = """{"actor":"bench","reason":"load","correlationId":"bench","source":"bench"}"""u8.ToArray();

    /// <returns>The process exit code: 0 measured, 1 the node could not be used, 2 no (or a malformed) connection string.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var connectionString = args.Count > 0 ? args[0] : Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync(
                $"esdb bench: no EventStoreDB to measure against. Pass a connection string as the argument after 'esdb' " +
                $"(e.g. -- esdb \"esdb://127.0.0.1:2113?tls=false\") or set the {ConnectionVariable} environment variable. Nothing was measured.");
            return 2;
        }

        EsdbConnectionString settings;
        try
        {
            settings = EsdbConnectionString.Parse(connectionString);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"esdb bench: the connection string (argument or {ConnectionVariable}) is not usable: {ex.Message} Nothing was measured.");
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("audit-bench-esdb-").FullName;
        try
        {
            await using var esdb = new EventStoreDbEventStore(settings);
            try
            {
                await esdb.InitializeAsync();
            }
            catch (EventStoreUnavailableException ex)
            {
                await Console.Error.WriteLineAsync($"esdb bench: {ex.Message} Nothing was measured.");
                return 1;
            }

            await using var embedded = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={Path.Combine(folder, "ledger.db")}"));
            await embedded.InitializeAsync();
            var stores = new[] { new Target("esdb", esdb), new Target("embedded", embedded) };

            var run = Guid.NewGuid().ToString("N")[..8];
            var sample = Event(0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"EventStoreDB adapter bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; EventStoreDB at {esdb.Endpoint} (tls={settings.Tls}) vs embedded SQLite (temp file); run {run}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"events: {sample.Data.Length} B JSON data + {sample.Metadata.Length} B metadata; {Rounds} rounds, fresh streams each; ratio = EventStoreDB / embedded (rates: >1 EventStoreDB faster; latencies: <1 EventStoreDB faster)"));
            Console.WriteLine($"machine load average (1/5/15 min) at start: {LoadAverage()} — the node, when local, shares these cores with the bench");

            // Warm-up, not reported: opens the channel and the SQLite connections, JITs every path measured below.
            foreach (var store in stores)
            {
                var warm = $"bench-{run}-warm-{store.Name}-";
                await SingleAsync(store.Store, warm + "single-", 200);
                await BatchesAsync(store.Store, warm + "batch-", 2_000, 1);
                await BatchesAsync(store.Store, warm + "conc-", 2_000, Writers);
                await ReadAsync(store.Store, warm + "read-", 1_000);
            }

            var results = new List<Dictionary<string, (Figure Esdb, Figure Embedded)>>();
            for (var round = 1; round <= Rounds; round++)
            {
                var prefix = $"bench-{run}-r{round}-";
                var figures = new Dictionary<string, (Figure, Figure)>();
                results.Add(figures);
                Console.WriteLine();

                var single = await BothAsync(stores, s => SingleAsync(s.Store, $"{prefix}{s.Name}-single-", SingleAppends));
                figures["single"] = single;
                Print(round, $"append 1 event × {SingleAppends:N0} seq., {SingleStreams} streams", single, latencies: true);

                var batch = await BothAsync(stores, s => BatchesAsync(s.Store, $"{prefix}{s.Name}-batch-", BatchEvents, 1));
                figures["batch"] = batch;
                Print(round, $"append {BatchEvents:N0} in batches of {BatchSize}, 1 writer", batch, latencies: false);

                var concurrent = await BothAsync(stores, s => BatchesAsync(s.Store, $"{prefix}{s.Name}-conc-", BatchEvents, Writers));
                figures["concurrent"] = concurrent;
                Print(round, $"append {BatchEvents:N0} in batches of {BatchSize}, {Writers} writers", concurrent, latencies: false);

                var reads = new (Figure Stream, Figure All)[2];
                for (var i = 0; i < stores.Length; i++)
                    reads[i] = await ReadAsync(stores[i].Store, $"{prefix}{stores[i].Name}-read-", ReadEvents);
                figures["stream"] = (reads[0].Stream, reads[1].Stream);
                figures["all"] = (reads[0].All, reads[1].All);
                Print(round, $"read 1 stream of {ReadEvents:N0} forwards", figures["stream"], latencies: false);
                Print(round, $"read $all fwd, prefix filter ({ReadEvents:N0})", figures["all"], latencies: false);
            }

            Console.WriteLine();
            Console.WriteLine($"median of {Rounds} rounds:");
            foreach (var (key, label) in new[]
            {
                ("single", "append 1 event, sequential"), ("batch", "append batches of 100, 1 writer"), ("concurrent", $"append batches of 100, {Writers} writers"),
                ("stream", "read 1 stream forwards"), ("all", "read $all forwards, prefix filter"),
            })
            {
                var esdbRate = Median(results.Select(r => r[key].Esdb.Rate));
                var embeddedRate = Median(results.Select(r => r[key].Embedded.Rate));
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"  {label,-36} esdb {esdbRate,9:N0} events/s | embedded {embeddedRate,9:N0} events/s | ratio {esdbRate / embeddedRate,6:0.00}");
                if (key == "single")
                {
                    var esdbP50 = Median(results.Select(r => r[key].Esdb.P50));
                    var embeddedP50 = Median(results.Select(r => r[key].Embedded.P50));
                    var esdbP99 = Median(results.Select(r => r[key].Esdb.P99));
                    var embeddedP99 = Median(results.Select(r => r[key].Embedded.P99));
                    line += string.Create(CultureInfo.InvariantCulture,
                        $"; p50 {esdbP50:0.00} vs {embeddedP50:0.00} ms (ratio {esdbP50 / embeddedP50:0.00}), p99 {esdbP99:0.00} vs {embeddedP99:0.00} ms (ratio {esdbP99 / embeddedP99:0.00})");
                }

                Console.WriteLine(line);
            }

            Console.WriteLine($"machine load average (1/5/15 min) at end: {LoadAverage()}");
            return 0;
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

    /// <summary>An event of about 150 bytes of JSON data, with the house metadata; a fresh id every call.</summary>
    private static EventData Event(int i) => new(Guid.NewGuid(), "FundsDeposited",
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"amount":{{i % 5000 + 0.45:0.00}},"currency":"EUR","reference":"TRX-{{i:D8}}","account":"ACC-{{i % 997:D6}}","counterparty":"DE89370400440532013000","memo":"bench load"}""")),
        Metadata);

    private static async Task<(Figure Esdb, Figure Embedded)> BothAsync(Target[] stores, Func<Target, Task<Figure>> measure) =>
        (await measure(stores[0]), await measure(stores[1]));

    /// <summary>(1) <paramref name="count"/> sequential one-event appends, round-robin over 100 streams.</summary>
    private static async Task<Figure> SingleAsync(IEventStore store, string prefix, int count)
    {
        var events = Enumerable.Range(0, count).Select(Event).ToArray();
        var streams = Enumerable.Range(0, SingleStreams).Select(s => string.Create(CultureInfo.InvariantCulture, $"{prefix}{s:D3}")).ToArray();
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await store.AppendAsync(streams[i % SingleStreams], ExpectedRevision.Any, [events[i]]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return new Figure(count / elapsed.TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>(2) <paramref name="total"/> events in batches of 100 over 100 streams (96 with 8 writers), split evenly among <paramref name="writers"/> parallel writers.</summary>
    private static async Task<Figure> BatchesAsync(IEventStore store, string prefix, int total, int writers)
    {
        // Writer w takes batches w, w + writers, … and owns its streams (100 / writers of them): writers never share a stream.
        var perWriter = BatchStreams / writers;
        var batches = Enumerable.Range(0, total / BatchSize)
            .Select(b => (Stream: string.Create(CultureInfo.InvariantCulture, $"{prefix}{b % writers * perWriter + b / writers % perWriter:D3}"),
                Events: (IReadOnlyList<EventData>)Enumerable.Range(b * BatchSize, BatchSize).Select(Event).ToArray()))
            .ToArray();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = w; b < batches.Length; b += writers)
                await store.AppendAsync(batches[b].Stream, ExpectedRevision.Any, batches[b].Events);
        })));
        return new Figure(total / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// (3) Setup: note the end of <c>$all</c>, then write <paramref name="count"/> events to one stream in batches of 100.
    /// Measured: reading the stream forwards, then <c>$all</c> forwards from the noted position filtered by the stream's prefix.
    /// </summary>
    private static async Task<(Figure Stream, Figure All)> ReadAsync(IEventStore store, string prefix, int count)
    {
        var before = AllPosition.Start;
        await foreach (var last in store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1))
            before = last.Position;
        var stream = prefix + "stream";
        for (var i = 0; i < count; i += BatchSize)
            await store.AppendAsync(stream, ExpectedRevision.Any, [.. Enumerable.Range(i, BatchSize).Select(Event)]);

        var clock = Stopwatch.StartNew();
        var read = 0;
        var bytes = 0L;
        await foreach (var e in store.ReadStreamAsync(stream, Direction.Forwards, StreamRevision.Start, long.MaxValue))
        {
            read++;
            bytes += e.Data.Length;
        }

        var streamElapsed = clock.Elapsed;
        Check(read, count, $"reading '{stream}'");

        clock.Restart();
        read = 0;
        await foreach (var e in store.ReadAllAsync(Direction.Forwards, before, long.MaxValue, prefix))
        {
            read++;
            bytes += e.Data.Length;
        }

        var allElapsed = clock.Elapsed;
        Check(read, count, $"reading $all from {before} with prefix '{prefix}'");
        GC.KeepAlive(bytes);
        return (new Figure(count / streamElapsed.TotalSeconds), new Figure(count / allElapsed.TotalSeconds));
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} returned {actual:N0} events, expected {expected:N0}; the figures would be meaningless."));
    }

    private static void Print(int round, string label, (Figure Esdb, Figure Embedded) f, bool latencies)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {label,-44} esdb {f.Esdb.Rate,9:N0} events/s | embedded {f.Embedded.Rate,9:N0} events/s | ratio {f.Esdb.Rate / f.Embedded.Rate,6:0.00}");
        if (latencies)
        {
            line += string.Create(CultureInfo.InvariantCulture,
                $"; per append p50 {f.Esdb.P50:0.00} vs {f.Embedded.P50:0.00} ms (ratio {f.Esdb.P50 / f.Embedded.P50:0.00}), p99 {f.Esdb.P99:0.00} vs {f.Embedded.P99:0.00} ms (ratio {f.Esdb.P99 / f.Embedded.P99:0.00})");
        }

        Console.WriteLine(line);
    }

    /// <summary>Other work on the machine skews every figure here; Linux says how much there was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Target(string Name, IEventStore Store);

    /// <summary>A throughput in events/s and, for single appends, the per-append latency in ms.</summary>
    private sealed record Figure(double Rate, double P50 = double.NaN, double P99 = double.NaN);
}
