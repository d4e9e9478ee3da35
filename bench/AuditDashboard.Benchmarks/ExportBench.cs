using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Replay;
using AuditDashboard.Core.Signing;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- export</c>: compliance exports of one account of
/// 100,000 events from the embedded store. Three rounds of (1) the raw read of the stream (the baseline), (2) the CSV
/// export and (3) the NDJSON export, each streamed from the store to a counting sink; then the peak managed heap during
/// CSV exports of 10,000 and of 100,000 events (memory must not grow with the history), the verifier on the 100,000-event
/// CSV, and the process's peak working set. Target: 100,000 events to CSV in under 3 s. Each round also exports both formats
/// signed (as the dashboard does) right after the unsigned run, and gives the throughput ratio signed / unsigned (target ≥ 0.95).
/// </summary>
public static class ExportBench
{
    private const string Large = "BENCH-EXPORT-100K";
    private const string Small = "BENCH-EXPORT-10K";
    private const int LargeEvents = 100_000;
    private const int SmallEvents = 10_000;
    private const int Batch = 1_000;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(3);
    private const double SignedTarget = 0.95;
    private const int SignedPairs = 20;

    public static async Task RunAsync()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Export bench — {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-export-").FullName;
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var ratios = new Dictionary<ExportFormat, List<double>> { [ExportFormat.Csv] = [], [ExportFormat.Ndjson] = [] };
        try
        {
            await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={Path.Combine(folder, "ledger.db")}"));
            await store.InitializeAsync();
            var seeding = Stopwatch.StartNew();
            var largeLast = await BenchHistory.SeedAsync(store, Large, LargeEvents, Batch);
            var smallLast = await BenchHistory.SeedAsync(store, Small, SmallEvents, Batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded {LargeEvents:N0} + {SmallEvents:N0} events in {seeding.Elapsed.TotalSeconds:0.0} s ({new FileInfo(Path.Combine(folder, "ledger.db")).Length / 1048576.0:N0} MiB file)"));

            // Warm-up: open the reader connection, JIT the read, the fold, both writers and the chain.
            await ReadAsync(store, Small);
            await ExportAsync(store, Small, smallLast, ExportFormat.Csv, Stream.Null);
            await ExportAsync(store, Small, smallLast, ExportFormat.Ndjson, Stream.Null);
            await ExportAsync(store, Small, smallLast, ExportFormat.Csv, Stream.Null, keys);

            for (var round = 1; round <= 3; round++)
            {
                var clock = Stopwatch.StartNew();
                var (events, dataBytes) = await ReadAsync(store, Large);
                var read = clock.Elapsed;
                Check(events, LargeEvents, "read");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: read    {events:N0} events in {read.TotalSeconds:0.000} s = {events / read.TotalSeconds,9:N0} events/s (baseline; {dataBytes / 1048576.0:N1} MiB of data and metadata)"));
                foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Ndjson })
                {
                    // Unsigned and signed (as the dashboard exports) back to back, so both meet the same load; which goes
                    // first alternates by round, so neither always inherits the other's garbage.
                    var signedFirst = round % 2 == 0;
                    var first = await MeasureAsync(store, Large, largeLast, format, signedFirst ? keys : null);
                    var second = await MeasureAsync(store, Large, largeLast, format, signedFirst ? null : keys);
                    var (unsigned, signed) = signedFirst ? (second, first) : (first, second);
                    var verdict = format == ExportFormat.Csv ? unsigned.Elapsed < Target ? $"; target < {Target.TotalSeconds:0} s met" : $"; target < {Target.TotalSeconds:0} s MISSED" : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}: {format.Extension(),-10} {unsigned.Count:N0} events in {unsigned.Elapsed.TotalSeconds:0.000} s = {unsigned.Count / unsigned.Elapsed.TotalSeconds,9:N0} events/s; {unsigned.Elapsed / read:0.00}× the read; {unsigned.Bytes:N0} bytes ({unsigned.Bytes / (double)unsigned.Count:N0} per event){verdict}"));
                    var ratio = unsigned.Elapsed / signed.Elapsed;
                    ratios[format].Add(ratio);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}: {format.Extension() + " signed",-10} {signed.Count:N0} events in {signed.Elapsed.TotalSeconds:0.000} s = {signed.Count / signed.Elapsed.TotalSeconds,9:N0} events/s; {signed.Bytes:N0} bytes; throughput signed / unsigned {ratio:0.000}{(signedFirst ? " (signed ran first)" : "")}"));
                }
            }

            foreach (var (format, values) in ratios)
            {
                var median = values.Order().ElementAt(values.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"signing: {format.Extension(),-6} throughput signed / unsigned {string.Join(" / ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}, median {median:0.000}; {Verdict(median)}"));
            }

            // Many short pairs, alternating which goes first: on a loaded machine three long rounds swing either way, the
            // sum over many pairs less so. And the signature alone, which is all that signing adds per export.
            foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Ndjson })
            {
                TimeSpan unsignedTotal = TimeSpan.Zero, signedTotal = TimeSpan.Zero, unsignedCpu = TimeSpan.Zero, signedCpu = TimeSpan.Zero;
                for (var pair = 0; pair < SignedPairs; pair++)
                {
                    var signedFirst = pair % 2 == 1;
                    var first = await MeasureAsync(store, Small, smallLast, format, signedFirst ? keys : null);
                    var second = await MeasureAsync(store, Small, smallLast, format, signedFirst ? null : keys);
                    var (unsigned, signed) = signedFirst ? (second, first) : (first, second);
                    (unsignedTotal, unsignedCpu) = (unsignedTotal + unsigned.Elapsed, unsignedCpu + unsigned.Cpu);
                    (signedTotal, signedCpu) = (signedTotal + signed.Elapsed, signedCpu + signed.Cpu);
                }

                var ratio = unsignedTotal / signedTotal;
                var cpuRatio = unsignedCpu / signedCpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"signing: {format.Extension(),-6} {SignedPairs} alternating pairs of {SmallEvents:N0}-event exports: wall unsigned {unsignedTotal.TotalSeconds:0.000} s, signed {signedTotal.TotalSeconds:0.000} s, throughput signed / unsigned {ratio:0.000} ({Verdict(ratio)}); CPU unsigned {unsignedCpu.TotalSeconds:0.000} s, signed {signedCpu.TotalSeconds:0.000} s, ratio {cpuRatio:0.000} ({Verdict(cpuRatio)})"));
            }

            var hash = new string('a', 64);
            var signing = Stopwatch.StartNew();
            for (var i = 0; i < 1_000; i++)
                _ = ExportSignature.Sign(keys, hash, hash);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"signing: one export signature (ES256 over 154 bytes) takes {signing.Elapsed.TotalMicroseconds / 1_000:0} µs (1,000 signatures in {signing.Elapsed.TotalMilliseconds:0} ms), once per export"));

            Console.WriteLine();
            var small = await PeakHeapAsync(store, Small, smallLast);
            var large = await PeakHeapAsync(store, Large, largeLast);
            foreach (var (events, peak) in new[] { (SmallEvents, small), (LargeEvents, large) })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"memory: CSV export of {events,7:N0} events: peak managed heap {peak.Peak / 1048576.0,6:N1} MiB, {(peak.Peak - peak.Before) / 1048576.0,6:N1} MiB above the {peak.Before / 1048576.0:N1} MiB before it ({peak.Samples:N0} samples, every ~5 ms); {peak.Allocated / (double)events:N0} bytes allocated per event; {peak.Collections} gen-0 GCs"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: 10× the events, {(large.Peak - large.Before) / (double)Math.Max(1, small.Peak - small.Before):0.00}× the peak above the baseline"));

            // The verifier, offline, on the CSV file of the 100,000 events.
            var file = Path.Combine(folder, "export.csv");
            await using (var output = File.Create(file))
                await ExportAsync(store, Large, largeLast, ExportFormat.Csv, output);
            var verifying = Stopwatch.StartNew();
            VerificationResult result;
            await using (var input = File.OpenRead(file))
                result = ExportVerifier.Verify(input);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verify: {new FileInfo(file).Length / 1048576.0:N1} MiB CSV of {result.Count:N0} events in {verifying.Elapsed.TotalSeconds:0.000} s: {(result.IsValid ? "valid" : "INVALID: " + result.Message)}"));

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process: peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MiB (seeding included), working set now {process.WorkingSet64 / 1048576.0:N0} MiB"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Check(long actual, long expected, string what)
    {
        if (actual != expected)
            throw new InvalidOperationException($"{what}: expected {expected:N0} events, got {actual:N0}.");
    }

    /// <summary>The baseline: every event of the stream read from the store and touched (its data and metadata lengths summed).</summary>
    private static async Task<(long Events, long Bytes)> ReadAsync(SqliteEventStore store, string account)
    {
        long events = 0, bytes = 0;
        await foreach (var e in store.ReadStreamAsync(AccountIds.StreamOf(account), Direction.Forwards, StreamRevision.Start, long.MaxValue))
        {
            events++;
            bytes += e.Data.Length + e.Metadata.Length;
        }

        return (events, bytes);
    }

    private static string Verdict(double ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"target ≥ {SignedTarget:0.00} {(ratio >= SignedTarget ? "met" : "MISSED")}");

    /// <summary>One export of <paramref name="account"/> to a counting sink, timed.</summary>
    /// <remarks>Also the process's CPU time meanwhile: on a shared machine, wall time mostly measures the neighbours.</remarks>
    private static async Task<(long Count, TimeSpan Elapsed, long Bytes, TimeSpan Cpu)> MeasureAsync(
        SqliteEventStore store, string account, long lastRevision, ExportFormat format, ISigningKeys? signingKeys)
    {
        var sink = new CountingStream();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = await ExportAsync(store, account, lastRevision, format, sink, signingKeys);
        var elapsed = clock.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Check(summary.Count, account == Large ? LargeEvents : SmallEvents, format.Extension() + (signingKeys is null ? "" : " signed"));
        if ((summary.Signature is null) != (signingKeys is null))
            throw new InvalidOperationException("The export was not signed as asked.");
        return (summary.Count, elapsed, sink.Written, cpu);
    }

    private static async Task<ExportSummary> ExportAsync(
        SqliteEventStore store, string account, long lastRevision, ExportFormat format, Stream output, ISigningKeys? signingKeys = null)
    {
        var header = new ExportHeader(Guid.NewGuid(), account, ReplayView.Recorded, ExportRange.All, format, "bench:auditor", DateTimeOffset.UtcNow);
        await using ExportWriter writer = format == ExportFormat.Csv ? new CsvExportWriter(output) : new NdjsonExportWriter(output);
        return await TimelineExport.WriteAsync(header, TimelineExport.EntriesOf(store, account, lastRevision), writer, signingKeys);
    }

    /// <summary>The peak of the managed heap while a CSV export runs, sampled every ~5 ms after a full, compacting collection.</summary>
    private static async Task<HeapPeak> PeakHeapAsync(SqliteEventStore store, string account, long lastRevision)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);

        long peak = before, samples = 0;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                samples++;
                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "heap sampler" };
        sampler.Start();
        var summary = await ExportAsync(store, account, lastRevision, ExportFormat.Csv, new CountingStream());
        await stop.CancelAsync();
        sampler.Join();
        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        Check(summary.Count, account == Large ? LargeEvents : SmallEvents, "csv");
        return new HeapPeak(before, peak, samples, GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - collections);
    }

    private sealed record HeapPeak(long Before, long Peak, long Samples, long Allocated, int Collections);

    /// <summary>A sink that counts what is written to it and keeps nothing.</summary>
    internal sealed class CountingStream : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Written += count;
            return Task.CompletedTask;
        }
    }
}
