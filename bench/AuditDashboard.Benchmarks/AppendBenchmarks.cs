using System.Text;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// Appending 10,000 account events through the embedded store, against the baseline of raw SQLite inserts of the
/// same rows (one prepared command, 1,000 rows per transaction, WAL) measured in the same run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class AppendBenchmarks
{
    private const int Events = 10_000;
    private const int Batch = 1_000;
    private string _dir = "";
    private EventData[] _events = [];
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("audit-bench-").FullName;
        var meta = new EventMetadata("system:payments-gateway", "Incoming transfer from Ana Lima", Guid.NewGuid().ToString("N"), null, "payments-gateway");
        _events = Enumerable.Range(0, Events)
            .Select(i => AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(10m + i, "EUR", $"TRX-{i:D10}"), meta))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw SQLite inserts")]
    public async Task RawSqliteInserts()
    {
        var path = Path.Combine(_dir, $"raw-{_run++}.db");
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
                CREATE TABLE events(position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL,
                  event_type TEXT NOT NULL, data BLOB NOT NULL, metadata BLOB NOT NULL, created INTEGER NOT NULL, UNIQUE(stream_id, revision));
                """;
            await setup.ExecuteNonQueryAsync();
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO events(stream_id, revision, event_id, event_type, data, metadata, created) VALUES ($s, $r, $id, $t, $d, $m, $c)";
        var s = insert.Parameters.Add("$s", SqliteType.Text);
        var r = insert.Parameters.Add("$r", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var t = insert.Parameters.Add("$t", SqliteType.Text);
        var d = insert.Parameters.Add("$d", SqliteType.Blob);
        var m = insert.Parameters.Add("$m", SqliteType.Blob);
        var c = insert.Parameters.Add("$c", SqliteType.Integer);
        for (var start = 0; start < Events; start += Batch)
        {
            await using var tx = await connection.BeginTransactionAsync();
            insert.Transaction = (SqliteTransaction)tx;
            for (var i = start; i < start + Batch; i++)
            {
                var e = _events[i];
                s.Value = "account-ACC-1";
                r.Value = i;
                id.Value = e.EventId.ToString();
                t.Value = e.EventType;
                d.Value = e.Data.ToArray();
                m.Value = e.Metadata.ToArray();
                c.Value = DateTime.UtcNow.Ticks;
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }
    }

    [Benchmark(Description = "store appends, 1,000 per append")]
    public async Task StoreAppendsInBatches()
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={Path.Combine(_dir, $"store-{_run++}.db")}"));
        await store.InitializeAsync();
        var expected = ExpectedRevision.NoStream;
        for (var start = 0; start < Events; start += Batch)
        {
            var result = await store.AppendAsync("account-ACC-1", expected, new ArraySegment<EventData>(_events, start, Batch));
            expected = ExpectedRevision.Exact(result.NextExpectedRevision);
        }
    }

    [Benchmark(Description = "store appends, 1 per append (1,000 events)")]
    public async Task StoreAppendsOneByOne()
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={Path.Combine(_dir, $"single-{_run++}.db")}"));
        await store.InitializeAsync();
        var expected = ExpectedRevision.NoStream;
        for (var i = 0; i < Events / 10; i++)
        {
            var result = await store.AppendAsync("account-ACC-1", expected, [_events[i]]);
            expected = ExpectedRevision.Exact(result.NextExpectedRevision);
        }
    }
}
