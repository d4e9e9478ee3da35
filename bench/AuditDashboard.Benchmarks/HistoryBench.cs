using System.Diagnostics;
using System.Globalization;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Replay;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- history [LEDGER.db] [READMODELS.db]</c>: any
/// moment of the ledger's longest account, read from the read models' marks and the events after the nearest one,
/// against the loaded timeline it replaces (the whole account folded into memory, then answered from there), in the same
/// run. LEDGER defaults to /work/bench-ledgers/1m/audit.db (opened read-only); READMODELS (default: beside the ledger as
/// bench-readmodels.db) is built on the first run and resumed after.
/// </summary>
public static class HistoryBench
{
    private const int Lookups = 2_000;
    private const int WindowSize = 50;

    public static async Task RunAsync(string[] args)
    {
        var ledgerPath = args is [var l, ..] ? l : "/work/bench-ledgers/1m/audit.db";
        var readModelsPath = args is [_, var r, ..] ? r : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ledgerPath))!, "bench-readmodels.db");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"History bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {SealBench.LoadAverage()}"));

        var ledger = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={ledgerPath}") { ReadOnly = true });
        await using var ledgerLease = ledger;
        await ledger.InitializeAsync();
        await using var readModels = new SqliteReadModelStore(readModelsPath);
        var directory = new AccountDirectory(readModels);
        var built = Stopwatch.StartNew();
        using (var stop = new CancellationTokenSource())
        {
            var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromSeconds(1), stop.Token);
            await directory.ProjectionCaughtUp.WaitAsync(TimeSpan.FromHours(1));
            await stop.CancelAsync();
            await following;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Read models {readModelsPath}: caught up in {built.Elapsed.TotalSeconds:F1} s ({directory.Progress.EventsApplied:N0} events applied now; mark every {directory.MarkInterval:N0} events)"));

        var account = await LongestAccountAsync(readModels);
        var last = account.Revision!.Value;
        var first = (await ledger.ReadStreamAsync(AccountIds.StreamOf(account.AccountId), Direction.Forwards, 0, 1).FirstAsync()).Created;
        var span = account.LastChangedAt!.Value - first;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Account {account.AccountId}: {last + 1:N0} events, {first:yyyy-MM-dd} to {account.LastChangedAt:yyyy-MM-dd}"));

        var history = new AccountHistory(ledger, readModels);
        var latest = Stopwatch.StartNew();
        var now = await history.AtRevisionAsync(account.AccountId, last);
        latest.Stop();
        var timelines = new AccountTimelines(ledger);
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        var timeline = (await timelines.GetAsync(account.AccountId))!;
        loading.Stop();
        var loadedBytes = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        if (now?.StateAfter != timeline.Snapshot.Current)
            throw new InvalidOperationException("The state read from the marks differs from the loaded timeline's.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latest state, nothing loaded: from the marks {latest.Elapsed.TotalMilliseconds:F1} ms; by loading the account {loading.Elapsed.TotalMilliseconds:F0} ms (the loaded timeline holds {loadedBytes / 1048576.0:F0} MB)"));

        var random = new Random(7);
        var revisions = Enumerable.Range(0, Lookups).Select(_ => random.NextInt64(0, last + 1)).ToList();
        var moments = Enumerable.Range(0, Lookups).Select(_ => first + (span * random.NextDouble())).ToList();
        var replay = AccountReplay.Of(account.AccountId, timeline.Snapshot, ReplayView.Recorded);

        var byRevision = await TimeEachAsync(revisions, r => history.AtRevisionAsync(account.AccountId, r));
        var byTime = await TimeEachAsync(moments, t => history.AtTimeAsync(account.AccountId, t));
        var windows = await TimeEachAsync(revisions, r => history.ReadAsync(account.AccountId, r, WindowSize));
        var loadedByRevision = await TimeEachAsync(revisions, r => Task.FromResult(replay.At(replay.IndexOfRevision(r)!.Value)));
        var loadedByTime = await TimeEachAsync(moments, t => Task.FromResult(replay.AtTime(t)));
        Console.WriteLine($"  state at a random revision ({Lookups:N0}): from the marks {DirectoryBench.Percentiles(byRevision)}; from the loaded timeline {DirectoryBench.Percentiles(loadedByRevision)}");
        Console.WriteLine($"  state at a random time ({Lookups:N0}): from the marks {DirectoryBench.Percentiles(byTime)}; from the loaded timeline {DirectoryBench.Percentiles(loadedByTime)}");
        Console.WriteLine($"  a window of {WindowSize} events at a random revision: {DirectoryBench.Percentiles(windows)}");
        Console.WriteLine($"load average at the end {SealBench.LoadAverage()}");
    }

    private static async Task<AccountState> LongestAccountAsync(SqliteReadModelStore readModels)
    {
        AccountState? longest = null;
        string? after = null;
        while (true)
        {
            var page = await readModels.SearchAccountsAsync(new AccountQuery(null, after, 0, 500));
            foreach (var account in page.Items)
            {
                if (longest is null || account.EventCount > longest.EventCount)
                    longest = account;
            }

            if (page.Items.Count < 500)
                return longest ?? throw new InvalidOperationException("The ledger holds no account.");
            after = page.Items[^1].AccountId;
        }
    }

    private static async Task<List<double>> TimeEachAsync<T, TResult>(List<T> inputs, Func<T, Task<TResult>> lookup)
    {
        var timings = new List<double>(inputs.Count);
        foreach (var input in inputs)
        {
            var started = Stopwatch.GetTimestamp();
            _ = await lookup(input);
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return timings;
    }
}
