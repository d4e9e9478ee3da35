using System.Globalization;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.Replay;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// Time travel over one account of 100,000 events in the embedded store: preparing the replay (read and fold the whole
/// stream), then the state at a revision and the state at a time on the prepared replay, without reading the store.
/// Targets (issue 3): prepare ≤ 1 s, each lookup ≤ 1 ms. GlobalSetup also prints the memory a prepared replay keeps.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class ReplayBenchmarks
{
    private const string Account = "BENCH-REPLAY-1";
    private const int Events = 100_000;
    private const int Batch = 1_000;
    private const int Lookups = 1_000;

    private static readonly DateTimeOffset FirstAppend = new(2024, 1, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Each append is recorded this long after the one before: 100 appends over about ten weeks.</summary>
    private static readonly TimeSpan BetweenAppends = TimeSpan.FromHours(17);

    private string _dir = "";
    private SqliteEventStore? _store;
    private AccountReplay? _replay;
    private long[] _revisions = [];
    private DateTimeOffset[] _moments = [];

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Directory.CreateTempSubdirectory("audit-bench-replay-").FullName;
        var clock = new SteppedClock(FirstAppend);
        _store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={Path.Combine(_dir, "ledger.db")}"), clock);
        await _store.InitializeAsync();
        await BenchHistory.SeedAsync(_store, Account, Events, Batch, () => clock.Advance(BetweenAppends));

        // A first read opens and caches the connection and statements, so the figure below is the replay's alone.
        await new AccountTimeline(_store, Account).CatchUpAsync();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var timeline = new AccountTimeline(_store, Account);
        await timeline.CatchUpAsync();
        _replay = AccountReplay.Of(Account, timeline.Snapshot, ReplayView.Recorded);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(timeline);
        if (_replay.Count != Events)
            throw new InvalidOperationException($"Expected {Events:N0} events in the replay, found {_replay.Count:N0}.");

        var retained = after - before;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Memory retained by a prepared replay of {Events:N0} events: {retained / 1024.0 / 1024.0:N1} MiB ({retained / Events:N0} bytes per event)"));

        // Random but fixed: every run looks up the same revisions and moments, spread over the whole history and a
        // little beyond both ends (before the account existed, after the last event).
        var random = new Random(20260329);
        _revisions = Enumerable.Range(0, Lookups).Select(_ => (long)random.Next(0, Events)).ToArray();
        var span = BetweenAppends * (Events / Batch);
        _moments = Enumerable.Range(0, Lookups)
            .Select(_ => FirstAppend - TimeSpan.FromHours(1) + TimeSpan.FromTicks(random.NextInt64((span + TimeSpan.FromHours(2)).Ticks)))
            .ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "prepare replay (read + fold 100,000 events)")]
    public async Task<decimal> PrepareReplay()
    {
        var timeline = new AccountTimeline(_store!, Account);
        await timeline.CatchUpAsync();
        var replay = AccountReplay.Of(Account, timeline.Snapshot, ReplayView.Recorded);
        return replay.Latest.State.Balance;
    }

    [Benchmark(Description = "state at a revision (per lookup)", OperationsPerInvoke = Lookups)]
    public decimal StateAtRevision()
    {
        var replay = _replay!;
        var sum = 0m;
        foreach (var revision in _revisions)
            sum += replay.At(replay.IndexOfRevision(revision) ?? -1).State.Balance;
        return sum;
    }

    [Benchmark(Description = "state at a time (per lookup)", OperationsPerInvoke = Lookups)]
    public decimal StateAtTime()
    {
        var replay = _replay!;
        var sum = 0m;
        foreach (var moment in _moments)
            sum += replay.AtTime(moment).State.Balance;
        return sum;
    }

    /// <summary>The store's clock: still until the seeding moves it on, so each append has a recorded time of its own.</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
