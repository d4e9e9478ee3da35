using System.Diagnostics;
using System.Globalization;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Seeding;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- seed [accounts] [events-per-account]</c>: the
/// seeder's write path against plain SQLite inserts of the same rows, in the same run. The seeder's transactions (many
/// accounts each, in time order) are made once and kept; then, alternating which goes first, each round writes them into a
/// fresh file (a) as plain inserts with one prepared statement into the store's own table and indexes, and (b) through the
/// embedded store (<c>AppendManyAsync</c>: its checks, idempotency lookups and commit times). Target: (b) / (a) ≥ 0.5. Also
/// the whole <c>seed</c> command's rate (generating the histories included) on a fresh file.
/// </summary>
public static class SeedBench
{
    private const double Target = 0.5;

    public static async Task RunAsync(string[] args)
    {
        var accounts = args is [var a, ..] ? int.Parse(a, CultureInfo.InvariantCulture) : 20_000;
        var perAccount = args is [_, var m, ..] ? int.Parse(m, CultureInfo.InvariantCulture) : 90;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seed bench — {accounts:N0} accounts × {perAccount:N0} events, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {SealBench.LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("audit-bench-seed-").FullName;
        try
        {
            var recorder = new RecordingStore();
            var generate = Stopwatch.StartNew();
            var total = await DemoSeeder.SeedVolumeAsync(recorder, new SimulatedClock(DateTimeOffset.UtcNow), [new AccountGroup(accounts, perAccount)], 7, new Progress<long>(), CancellationToken.None);
            generate.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"histories generated and encoded: {total:N0} events in {recorder.Transactions.Count:N0} transactions of {DemoSeeder.TransactionSize(total):N0}, {generate.Elapsed.TotalSeconds:F2} s ({total / generate.Elapsed.TotalSeconds:N0} events/s)"));

            var ratios = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                double plain, store;
                if (round % 2 == 0)
                {
                    plain = await PlainInsertsAsync(folder, recorder.Transactions, total);
                    store = await StoreAppendsAsync(folder, recorder.Transactions, total);
                }
                else
                {
                    store = await StoreAppendsAsync(folder, recorder.Transactions, total);
                    plain = await PlainInsertsAsync(folder, recorder.Transactions, total);
                }

                ratios.Add(store / plain);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: plain SQLite inserts {plain:N0} events/s, the store's AppendManyAsync {store:N0} events/s, ratio {store / plain:F3}"));
            }

            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store / plain inserts, median of {ratios.Count}: {ratios[ratios.Count / 2]:F3} (target ≥ {Target})"));

            var path = Path.Combine(folder, "seed.db");
            await using (var fresh = new SqliteEventStore(path))
            {
                await fresh.InitializeAsync();
                var clock = new SimulatedClock(DateTimeOffset.UtcNow);
                var whole = Stopwatch.StartNew();
                await DemoSeeder.SeedVolumeAsync(fresh, clock, [new AccountGroup(accounts, perAccount)], 7, new Progress<long>(), CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"the seed command's work (generate, encode, write): {total / whole.Elapsed.TotalSeconds:N0} events/s"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> PlainInsertsAsync(string folder, IReadOnlyList<IReadOnlyList<StreamAppend>> transactions, long total)
    {
        var path = Path.Combine(folder, $"plain-{Guid.NewGuid():N}.db");
        await using (var schema = new SqliteEventStore(path))
            await schema.InitializeAsync();
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO events (position, stream_id, revision, event_id, event_type, data, metadata, created) VALUES ($p, $s, $r, $i, $t, $d, $m, $c)";
        var (p, s, r, i, t, d, m, c) = (insert.Parameters.Add("$p", SqliteType.Integer), insert.Parameters.Add("$s", SqliteType.Text), insert.Parameters.Add("$r", SqliteType.Integer),
            insert.Parameters.Add("$i", SqliteType.Blob), insert.Parameters.Add("$t", SqliteType.Text), insert.Parameters.Add("$d", SqliteType.Blob),
            insert.Parameters.Add("$m", SqliteType.Blob), insert.Parameters.Add("$c", SqliteType.Integer));
        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        var position = 0L;
        var stopwatch = Stopwatch.StartNew();
        foreach (var transaction in transactions)
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
            insert.Transaction = tx;
            c.Value = DateTime.UtcNow.Ticks;
            foreach (var append in transaction)
            {
                var revision = revisions.GetValueOrDefault(append.StreamId, -1);
                s.Value = append.StreamId;
                foreach (var e in append.Events)
                {
                    p.Value = ++position;
                    r.Value = ++revision;
                    i.Value = e.EventId.ToByteArray();
                    t.Value = e.EventType;
                    d.Value = e.Data.ToArray();
                    m.Value = e.Metadata.ToArray();
                    await insert.ExecuteNonQueryAsync();
                }

                revisions[append.StreamId] = revision;
            }

            await tx.CommitAsync();
        }

        return total / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> StoreAppendsAsync(string folder, IReadOnlyList<IReadOnlyList<StreamAppend>> transactions, long total)
    {
        await using var store = new SqliteEventStore(Path.Combine(folder, $"store-{Guid.NewGuid():N}.db"));
        await store.InitializeAsync();
        var stopwatch = Stopwatch.StartNew();
        foreach (var transaction in transactions)
            await store.AppendManyAsync(transaction);
        return total / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Keeps what the seeder appends, answering as a store would, so the same transactions can be written again and again.</summary>
    private sealed class RecordingStore : IEventStore
    {
        public List<IReadOnlyList<StreamAppend>> Transactions { get; } = [];

        public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
        {
            Transactions.Add(appends.Select(a => a with { Events = [.. a.Events] }).ToList());
            var results = new List<AppendResult>(appends.Count);
            foreach (var append in appends)
            {
                var last = (append.Expected.IsExact ? append.Expected.Value : -1) + append.Events.Count;
                results.Add(new AppendResult(last, 0));
            }

            return Task.FromResult<IReadOnlyList<AppendResult>>(results);
        }

        public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

        public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The seeder appends through AppendManyAsync.");

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
