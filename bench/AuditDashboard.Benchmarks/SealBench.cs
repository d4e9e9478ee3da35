using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- seal [rounds]</c>: append throughput of the embedded
/// store with the ledger sealer running beside it (as the dashboard runs it: following <c>$all</c>, hashing every event into
/// the tree and the leaf file, a signed seal every 10,000 events) against the same appends without it, in the same run. Each
/// round appends into a fresh file once with and once without the sealer, alternating which goes first, for two workloads:
/// 100,000 events in appends of 100, and 2,000 appends of one event. Target: throughput on / off ≥ 0.95. Also how long after
/// the last append the sealer had caught up (hashed every event), and the process's CPU time off / on (on a machine whose cores
/// are busy with other work, the sealer's CPU comes out of the appends' share; on idle cores it runs beside them).
/// </summary>
public static class SealBench
{
    private const double Target = 0.95;
    private static readonly SealSchedule Schedule = new(10_000, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

    public static async Task RunAsync(string[] args)
    {
        var rounds = args is [var text, ..] && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seal bench — {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-seal-").FullName;
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        try
        {
            // Warm-up: JIT the append path and the sealer on a small ledger, both ways.
            await MeasureAsync(folder, "warm", 2_000, 100, keys, sealing: false);
            await MeasureAsync(folder, "warm", 2_000, 100, keys, sealing: true);

            foreach (var (events, batch) in new[] { (100_000, 100), (2_000, 1) })
            {
                var ratios = new List<double>();
                var cpuRatios = new List<double>();
                var off = new List<double>();
                var on = new List<double>();
                for (var round = 1; round <= rounds; round++)
                {
                    var sealedFirst = round % 2 == 0;
                    var first = await MeasureAsync(folder, $"b{batch}-r{round}a", events, batch, keys, sealing: sealedFirst);
                    var second = await MeasureAsync(folder, $"b{batch}-r{round}b", events, batch, keys, sealing: !sealedFirst);
                    var (without, with) = sealedFirst ? (second, first) : (first, second);
                    var ratio = without.Elapsed / with.Elapsed;
                    ratios.Add(ratio);
                    var cpuRatio = without.Cpu / with.Cpu;
                    cpuRatios.Add(cpuRatio);
                    off.Add(events / without.Elapsed.TotalSeconds);
                    on.Add(events / with.Elapsed.TotalSeconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}, {events:N0} events in appends of {batch}: off {events / without.Elapsed.TotalSeconds,9:N0} events/s; on {events / with.Elapsed.TotalSeconds,9:N0} events/s ({with.Seals} seals; the sealer caught up {with.SealedAfter.TotalMilliseconds:N0} ms after the last append); on / off {ratio:0.000}; CPU time off / on {cpuRatio:0.000} ({without.Cpu.TotalSeconds:0.00} s / {with.Cpu.TotalSeconds:0.00} s){(sealedFirst ? " (on ran first)" : "")}"));
                }

                var median = Median(ratios);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"=> appends of {batch}: median off {Median(off):N0} events/s, on {Median(on):N0} events/s, on / off {median:0.000} (rounds {string.Join(" / ", ratios.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))}); target ≥ {Target:0.00} {(median >= Target ? "met" : "MISSED")}; CPU time off / on, median {Median(cpuRatios):0.000} (the whole process: appends and sealer)"));
            }

            Console.WriteLine($"load average at the end {LoadAverage()}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Appends into a fresh ledger file, with the sealer following it or not; the clock covers the appends only.</summary>
    private static async Task<Run> MeasureAsync(string folder, string name, int events, int batch, ISigningKeys keys, bool sealing)
    {
        var path = Path.Combine(folder, $"{name}-{(sealing ? "on" : "off")}.db");
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={path}"));
        await store.InitializeAsync();
        if (!sealing)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            await BenchHistory.SeedAsync(store, "BENCH-SEAL", events, batch);
            return new Run(clock.Elapsed, Environment.CpuUsage.TotalTime - cpuBefore, 0, TimeSpan.Zero);
        }

        var state = new LedgerIntegrity();
        var sealer = new LedgerSealer(store, keys, state, Schedule, [], TimeProvider.System);
        using var stop = new CancellationTokenSource();
        using var leaves = LeafFile.OpenForWriting(Path.ChangeExtension(path, ".leaves"));
        var running = Task.Run(() => sealer.RunAsync(leaves, TimeSpan.FromSeconds(1), stop.Token));
        while (state.LastFullCheck is null)
            await Task.Delay(5);
        await Task.Delay(100); // the sealer's subscription is live and idle, as in a running dashboard

        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var appending = Stopwatch.StartNew();
        await BenchHistory.SeedAsync(store, "BENCH-SEAL", events, batch);
        var elapsed = appending.Elapsed;

        // Caught up: every event hashed into the tree and the leaf file (the remainder below 10,000 is sealed within the
        // minute, or at the stop below).
        while (leaves.Count < events)
        {
            if (state.Violation is { } violation)
                throw new InvalidOperationException(violation.Description);
            await Task.Delay(1);
        }

        var sealedAfter = appending.Elapsed - elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        var seals = state.LastSeal?.Number ?? 0;
        await stop.CancelAsync();
        await running;
        return new Run(elapsed, cpu, seals, sealedAfter);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <param name="Cpu">The process's CPU time over the appends (and, with the sealer, until it had caught up).</param>
    private sealed record Run(TimeSpan Elapsed, TimeSpan Cpu, long Seals, TimeSpan SealedAfter);
}
