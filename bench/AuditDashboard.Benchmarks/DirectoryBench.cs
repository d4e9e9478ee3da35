using System.Diagnostics;
using System.Globalization;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- directory [LEDGER.db] [ACCOUNTS-LEDGER.db]</c>: the
/// account directory as a durable projection, against the in-memory directory it replaced, in the same run. On LEDGER
/// (default /work/bench-ledgers/1m/audit.db, opened read-only): the first build of the read models from nothing (events/s),
/// a restart on built read models until caught up, the same restart on an empty ledger, and the old start (every event
/// folded into memory again). On ACCOUNTS-LEDGER (default /work/bench-ledgers/100k-accounts/audit.db, made with the app's
/// <c>seed --accounts 100000 --events-per-account 3</c>): account search p50 / p99 through the FTS5 index with keyset
/// pages, against the old scan-and-sort over every account, for the same random queries. ACCOUNTS-LEDGER may instead be
/// <c>rows:N</c> (e.g. <c>rows:1000000</c>): N account rows (Bogus owners) written straight into a read-model file the way
/// the directory writes them, for search at a size no ledger on this machine holds; CI never makes one.
/// </summary>
public static class DirectoryBench
{
    private const int Queries = 2_000;
    private const int PageSize = 25;

    public static async Task RunAsync(string[] args)
    {
        var ledgerPath = args is [var l, ..] ? l : "/work/bench-ledgers/1m/audit.db";
        var accountsPath = args is [_, var a, ..] ? a : "/work/bench-ledgers/100k-accounts/audit.db";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Directory bench — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-directory-").FullName;
        try
        {
            if (ledgerPath != "-")
                await StartsAsync(ledgerPath, folder);
            await SearchAsync(accountsPath, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task StartsAsync(string ledgerPath, string folder)
    {
        await using var ledger = await OpenLedgerAsync(ledgerPath);
        var events = await HeadAsync(ledger);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ledger {ledgerPath}: {events:N0} events"));

        var old = await OldStartAsync(ledger);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  before: in-memory directory folded from the first event at every start: {old.Elapsed.TotalSeconds:F2} s ({events / old.Elapsed.TotalSeconds:N0} events/s, {old.Accounts:N0} accounts)"));

        var file = Path.Combine(folder, "readmodels.db");
        var build = await FollowAsync(ledger, file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first build of the read models from nothing: {build.Elapsed.TotalSeconds:F2} s ({build.Events / build.Elapsed.TotalSeconds:N0} events/s, {build.Accounts:N0} accounts, file {new FileInfo(file).Length / 1048576.0:F1} MB)"));

        var restarts = new List<double>();
        for (var i = 0; i < 5; i++)
            restarts.Add((await FollowAsync(ledger, file)).Elapsed.TotalMilliseconds);
        var emptyFile = Path.Combine(folder, "empty-readmodels.db");
        await using var empty = await OpenLedgerAsync(Path.Combine(folder, "empty.db"), create: true);
        var emptyStarts = new List<double>();
        for (var i = 0; i < 5; i++)
            emptyStarts.Add((await FollowAsync(empty, emptyFile)).Elapsed.TotalMilliseconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  restart on built read models until caught up: median {Median(restarts):F1} ms (runs: {string.Join(", ", restarts.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))}); on an empty ledger: median {Median(emptyStarts):F1} ms"));
    }

    private static async Task SearchAsync(string accountsPath, string folder)
    {
        if (accountsPath.StartsWith("rows:", StringComparison.Ordinal))
        {
            var rows = int.Parse(accountsPath["rows:".Length..], CultureInfo.InvariantCulture);
            var rowsFile = Path.Combine(folder, "rows-readmodels.db");
            await using var rowStore = new SqliteReadModelStore(rowsFile);
            var written = Stopwatch.StartNew();
            await WriteRowsAsync(rowStore, rows);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Read models of {rows:N0} account rows written straight in {written.Elapsed.TotalSeconds:F1} s (file {new FileInfo(rowsFile).Length / 1048576.0:F0} MB)"));
            await SearchStoreAsync(new AccountDirectory(rowStore));
            return;
        }

        if (!File.Exists(accountsPath))
        {
            Console.WriteLine($"No ledger at {accountsPath}: make it with the app's seed command (see docs/performance.md) to measure search.");
            return;
        }

        // Kept beside that ledger between runs (the ledger itself is only read): a later run measures a restart.
        await using var ledger = await OpenLedgerAsync(accountsPath);
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(accountsPath))!, "bench-readmodels.db");
        var build = await FollowAsync(ledger, file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ledger {accountsPath}: {build.Accounts:N0} accounts; read models {(build.Events > 0 ? "built" : "resumed")} in {build.Elapsed.TotalSeconds:F2} s ({build.Events:N0} events applied, {build.Events / build.Elapsed.TotalSeconds:N0} events/s)"));

        await using var store = new SqliteReadModelStore(file);
        var directory = new AccountDirectory(store);
        await directory.OpenAsync(ledger);
        await SearchStoreAsync(directory);
    }

    // Account rows as the directory writes them: ids ACC-1000000 on, owners from Bogus, in transactions of 10,000.
    private static async Task WriteRowsAsync(SqliteReadModelStore store, int rows)
    {
        await store.OpenAsync(ledgerIdentity: null);
        var faker = new Bogus.Faker { Random = new Bogus.Randomizer(20261207) };
        var at = DateTimeOffset.UtcNow;
        for (var from = 0; from < rows; from += 10_000)
        {
            var batch = Enumerable.Range(from, Math.Min(10_000, rows - from))
                .Select(i => new AccountState($"ACC-{1_000_000 + i}", faker.Random.Bool(0.3f) ? faker.Company.CompanyName() : faker.Name.FullName(), "EUR", 100m, AccountStatus.Open, 89, at, at, 90))
                .ToList();
            await using var transaction = await store.BeginAsync();
            await transaction.PutAccountsAsync(batch);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, from + batch.Count);
            await transaction.CommitAsync();
        }
    }

    private static async Task SearchStoreAsync(AccountDirectory directory)
    {
        var all = new List<AccountState>();
        string? after = null;
        while (true)
        {
            var page = await directory.SearchAsync(new AccountQuery(null, after, Take: 500));
            all.AddRange(page.Items);
            if (page.Items.Count < 500)
                break;
            after = page.Items[^1].AccountId;
        }

        var random = new Random(20261207);
        var queries = Enumerable.Range(0, Queries).Select(_ => Query(random, all)).ToList();
        var kinds = queries.Select(q => q is null ? "empty" : q.Length < AccountQuery.MinSubstringLength ? "short id prefix" : "substring").ToList();
        foreach (var (name, run) in new (string, Func<string?, int>)[]
        {
            ("after: FTS5 trigram index, keyset page", term => directory.SearchAsync(new AccountQuery(term, Take: PageSize)).GetAwaiter().GetResult().Items.Count),
            ("before: scan and sort every account", term => OldSearch(all, term)),
        })
        {
            foreach (var term in queries.Take(100))
                run(term);
            var timings = new List<double>(Queries);
            foreach (var term in queries)
            {
                var started = Stopwatch.GetTimestamp();
                run(term);
                timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  search at {all.Count:N0} accounts, {name}: {Percentiles(timings)} ({Queries:N0} queries)"));
            foreach (var kind in kinds.Distinct())
                Console.WriteLine($"    {kind}: {Percentiles([.. timings.Where((_, i) => kinds[i] == kind)])}");
            var slowest = timings.Select((t, i) => (Time: t, Term: queries[i])).OrderByDescending(x => x.Time).Take(5);
            Console.WriteLine("    slowest: " + string.Join(", ", slowest.Select(x => string.Create(CultureInfo.InvariantCulture, $"“{x.Term}” {x.Time:F1} ms"))));
        }
    }

    /// <summary>What people type: part of an owner's name, part of an account id, a short id prefix, now and then nothing.</summary>
    private static string? Query(Random random, List<AccountState> accounts)
    {
        var account = accounts[random.Next(accounts.Count)];
        var roll = random.Next(10);
        var text = roll < 4 ? account.Owner ?? account.AccountId : account.AccountId;
        if (roll == 9)
            return null;
        var length = roll >= 7 ? random.Next(1, 3) : random.Next(3, Math.Min(8, text.Length) + 1);
        var start = roll >= 7 ? 0 : random.Next(0, text.Length - length + 1);
        return text.Substring(start, length);
    }

    /// <summary>The search the in-memory directory made: every account tested, the matches sorted, then a page cut.</summary>
    private static int OldSearch(List<AccountState> accounts, string? term)
    {
        var matches = accounts
            .Where(a => string.IsNullOrEmpty(term)
                || a.AccountId.Contains(term, StringComparison.OrdinalIgnoreCase)
                || (a.Owner?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(a => a.AccountId, StringComparer.Ordinal)
            .ToList();
        return matches.Take(PageSize).Count();
    }

    /// <summary>
    /// <c>directory-build esdb://…|embedded [accounts] [events-per-account]</c>: writes that many account events into a
    /// fresh ledger (a node's <c>$all</c> may hold more: the build reads every account stream there is), then times the
    /// first build of the read models from nothing over it, next to the same events in a fresh embedded ledger.
    /// </summary>
    public static async Task BuildAsync(string[] args)
    {
        if (args is [var ledgerFile, ..] && ledgerFile.EndsWith(".db", StringComparison.Ordinal))
        {
            await BuildOverAsync(ledgerFile, args is [_, var m, ..] ? long.Parse(m, CultureInfo.InvariantCulture) : long.MaxValue);
            return;
        }

        var target = args is [var t, ..] ? t : "embedded";
        var accounts = args is [_, var a, ..] ? int.Parse(a, CultureInfo.InvariantCulture) : 200;
        var perAccount = args is [_, _, var e, ..] ? int.Parse(e, CultureInfo.InvariantCulture) : 1_000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Read-model build bench — {accounts:N0} accounts × {perAccount:N0} events, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {SealBench.LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-build-").FullName;
        try
        {
            await using var embedded = await OpenLedgerAsync(Path.Combine(folder, "audit.db"), create: true);
            await BuildOnAsync("embedded", embedded, accounts, perAccount, Path.Combine(folder, "embedded-readmodels.db"));
            if (target.StartsWith("esdb", StringComparison.Ordinal) || target.StartsWith("kurrentdb", StringComparison.Ordinal))
            {
                await using var esdb = new AuditDashboard.Adapters.EventStoreDb.EventStoreDbEventStore(target);
                await esdb.InitializeAsync();
                await BuildOnAsync("EventStoreDB", esdb, accounts, perAccount, Path.Combine(folder, "esdb-readmodels.db"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// <c>directory-build LEDGER.db [max-events]</c>: the first build of the read models over an existing embedded ledger
    /// (opened read-only; the read models go to a temporary file), stopped after max-events when given: the build rate
    /// over the ledger's own interleaving of accounts, which a ledger written account by account does not show.
    /// </summary>
    private static async Task BuildOverAsync(string ledgerFile, long maxEvents)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Read-model build bench — {ledgerFile}, up to {maxEvents:N0} events, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {SealBench.LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-build-").FullName;
        try
        {
            await using var ledger = await OpenLedgerAsync(ledgerFile);
            var file = Path.Combine(folder, "readmodels.db");
            var started = Stopwatch.GetTimestamp();
            await using var store = new SqliteReadModelStore(file);
            var directory = new AccountDirectory(store);
            using var stop = new CancellationTokenSource();
            var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromSeconds(1), stop.Token);
            var caughtUp = directory.ProjectionCaughtUp;
            TimeSpan? applied = null;
            while (!caughtUp.IsCompleted && directory.Progress.EventsApplied < maxEvents)
            {
                await Task.WhenAny(caughtUp, Task.Delay(100));
                if (applied is null && directory.Progress.IsIndexing)
                    applied = Stopwatch.GetElapsedTime(started);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var events = directory.Progress.EventsApplied;
            await stop.CancelAsync();
            await following;
            var phases = applied is { } rows
                ? string.Create(CultureInfo.InvariantCulture, $"; rows {rows.TotalSeconds:F1} s ({events / rows.TotalSeconds:N0} events/s), then the lookups in one pass {(elapsed - rows).TotalSeconds:F1} s")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  first build of the read models: {events:N0} events in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:N0} events/s ({directory.Count:N0} accounts, file {new FileInfo(file).Length / 1048576.0:F0} MB){phases}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task BuildOnAsync(string name, IEventStore ledger, int accounts, int perAccount, string file)
    {
        var prefix = $"B{Guid.NewGuid():N}"[..9].ToUpperInvariant();
        var written = Stopwatch.StartNew();
        for (var i = 0; i < accounts; i++)
            await BenchHistory.SeedAsync(ledger, $"{prefix}-{i:D6}", perAccount, 500);
        written.Stop();
        var build = await FollowAsync(ledger, file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: wrote {accounts * (long)perAccount:N0} events in {written.Elapsed.TotalSeconds:F1} s; first build of the read models: {build.Events:N0} events in {build.Elapsed.TotalSeconds:F2} s = {build.Events / build.Elapsed.TotalSeconds:N0} events/s ({build.Accounts:N0} accounts)"));
    }

    /// <summary>Opens (or resumes) the read models in <paramref name="file"/> and follows the ledger until caught up.</summary>
    private static async Task<Run> FollowAsync(IEventStore ledger, string file)
    {
        var started = Stopwatch.GetTimestamp();
        await using var store = new SqliteReadModelStore(file);
        var directory = new AccountDirectory(store);
        using var stop = new CancellationTokenSource();
        var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromSeconds(1), stop.Token);
        await directory.ProjectionCaughtUp.WaitAsync(TimeSpan.FromMinutes(30));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await following;
        return new Run(elapsed, directory.Progress.EventsApplied, directory.Count);
    }

    private static async Task<(TimeSpan Elapsed, int Accounts)> OldStartAsync(SqliteEventStore ledger)
    {
        var started = Stopwatch.GetTimestamp();
        var accounts = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        await foreach (var message in ledger.SubscribeToAllAsync(null, AccountIds.StreamPrefix))
        {
            if (message is SubscriptionMessage.CaughtUp)
                break;
            if (message is SubscriptionMessage.EventAppeared { Record: var record } && AccountIds.TryFromStream(record.StreamId, out var id))
                accounts[id] = TimelineEntry.Next(accounts.GetValueOrDefault(id) ?? AccountState.Initial(id), record).StateAfter;
        }

        return (Stopwatch.GetElapsedTime(started), accounts.Count);
    }

    private static async Task<SqliteEventStore> OpenLedgerAsync(string path, bool create = false)
    {
        var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={path}") { ReadOnly = !create, CreateIfMissing = create });
        await store.InitializeAsync();
        return store;
    }

    private static async Task<long> HeadAsync(SqliteEventStore ledger)
    {
        await foreach (var last in ledger.ReadAllAsync(Direction.Backwards, AllPosition.End, 1))
            return last.Position;
        return 0;
    }

    internal static string Percentiles(List<double> timings)
    {
        var sorted = timings.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {sorted[sorted.Count / 2]:F2} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:F2} ms, max {sorted[^1]:F2} ms");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record Run(TimeSpan Elapsed, long Events, int Accounts);
}
