using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Replay;
using AuditDashboard.Core.Search;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Benchmarks;

/// <summary>
/// <c>… -- search LEDGER.db READMODELS.db</c>: the event index of a built read-model file (the dashboard builds it; the
/// bench only reads). Selective searches (one actor in one month, one reference, one correlation id: first page with
/// the count), a broad one (all deposits in a year: first page, and its count), each 100 times over values sampled from
/// the index, in process; then search exports of 100,000 and 1,000,000 matches to CSV (rate, peak managed heap) against
/// the export of one account's 100,000 events from the same ledger (the baseline, same run).
/// </summary>
public static class SearchBench
{
    private const int Runs = 100;

    public static async Task RunAsync(string[] args)
    {
        if (args.Length < 2)
            throw new ArgumentException("search LEDGER.db READMODELS.db");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Search bench — {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        await using var index = new SqliteReadModelStore($"Data Source={args[1]}");
        await index.OpenAsync(null);
        var samples = Sample(args[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples.Events:N0} events indexed, recorded {samples.First:yyyy-MM-dd} to {samples.Last:yyyy-MM-dd}; {samples.Rows.Count} sampled"));

        var random = new Random(7);
        EventQuery Month(SampledRow row) => new()
        {
            Actor = row.Actor,
            RecordedFrom = new DateTimeOffset(row.Recorded.Year, row.Recorded.Month, 1, 0, 0, 0, TimeSpan.Zero),
            RecordedTo = new DateTimeOffset(row.Recorded.Year, row.Recorded.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddTicks(-1),
        };
        EventQuery Year(SampledRow row) => new()
        {
            Types = [AccountEventTypes.FundsDeposited],
            RecordedFrom = row.Recorded.AddYears(-1),
            RecordedTo = row.Recorded,
        };
        var rows = samples.Rows;
        SampledRow Any() => rows[random.Next(rows.Count)];

        // A person (a customer, an analyst, a support user) writes a few events a month; a system writes most of them.
        var people = rows.Where(r => r.Actor is { } actor && !actor.StartsWith("system:", StringComparison.Ordinal)).ToList();
        var systems = rows.Where(r => r.Actor is { } actor && actor.StartsWith("system:", StringComparison.Ordinal)).ToList();
        await TimeAsync(index, "one person in one month, first page + count", () => Month(people[random.Next(people.Count)]));
        await TimeAsync(index, "one system actor in one month, first page + count", () => Month(systems[random.Next(systems.Count)]), runs: 20);
        await TimeAsync(index, "one reference, first page + count", () => new EventQuery { Reference = rows.Where(r => r.Reference is not null).ElementAtOrDefault(random.Next(rows.Count / 2))?.Reference ?? Any().Reference });
        await TimeAsync(index, "one correlation id, first page + count", () => new EventQuery { CorrelationId = Any().Correlation });
        await TimeAsync(index, "all deposits in a year, first page", () => Year(Any()) with { CountTotal = false });
        await TimeAsync(index, "all deposits in a year, count", () => Year(Any()) with { Limit = 1 }, runs: 10);
        await TimeAsync(index, "reason words (\"duplicate\"), first page + count", () => new EventQuery { Text = "duplicate" }, runs: 10);

        await using var ledger = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={args[0]}"));
        await ledger.InitializeAsync();
        var account = samples.LongestAccount;
        var last = await ledger.GetLastRevisionAsync(AccountIds.StreamOf(account)) ?? -1;
        var baseline = await MeasureAsync(() => TimelineExport.WriteAsync(
            new ExportHeader(Guid.NewGuid(), account, ReplayView.Recorded, ExportRange.All, ExportFormat.Csv, "bench", DateTimeOffset.UtcNow),
            TimelineExport.EntriesOf(ledger, account, last), new CsvExportWriter(new ExportBench.CountingStream())));
        Report($"account export, {account}", baseline, baseline);
        foreach (var size in new[] { 100_000, 1_000_000 })
        {
            var query = new EventQuery { Types = [AccountEventTypes.FundsDeposited, AccountEventTypes.FundsWithdrawn], OldestFirst = true };
            var search = await MeasureAsync(() => TimelineExport.WriteAsync(
                ExportHeader.ForSearch(Guid.NewGuid(), query, ExportFormat.Csv, "bench", DateTimeOffset.UtcNow),
                SearchExport.EntriesOf(index, ledger, query).Take(size), new CsvExportWriter(new ExportBench.CountingStream())));
            Report($"search export, first {size:N0} deposits and withdrawals", search, baseline);
        }
    }

    private static async Task TimeAsync(SqliteReadModelStore index, string what, Func<EventQuery> next, int runs = Runs)
    {
        var times = new List<double>(runs);
        long found = 0;
        await index.SearchEventsAsync(next()); // warm-up
        for (var i = 0; i < runs; i++)
        {
            var query = next();
            var clock = Stopwatch.StartNew();
            var result = await index.SearchEventsAsync(query);
            times.Add(clock.Elapsed.TotalMilliseconds);
            found += result.Total ?? result.Items.Count;
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-50} p50 {times[times.Count / 2],8:0.0} ms  p99 {times[(int)Math.Ceiling(times.Count * 0.99) - 1],8:0.0} ms  max {times[^1],8:0.0} ms  ({found / runs:N0} matches on average)"));
    }

    private static async Task<Measured> MeasureAsync(Func<Task<ExportSummary>> export)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();
        var clock = Stopwatch.StartNew();
        var summary = await export();
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        sampler.Join();
        return new Measured(summary.Count, elapsed, before, peak);
    }

    private static void Report(string what, Measured measured, Measured baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-50} {measured.Count,10:N0} events in {measured.Elapsed.TotalSeconds,6:0.00} s = {measured.Rate,8:N0} events/s (x{measured.Rate / baseline.Rate:0.00} of the account export); managed heap {measured.Before / 1048576.0:0} MB before, peak {measured.Peak / 1048576.0:0} MB"));

    private static Samples Sample(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(position), max(position), count(*) FROM events";
        long lo, hi, count;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (lo, hi, count) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var random = new Random(42);
        var rows = new List<SampledRow>();
        command.CommandText = "SELECT actor, reference, correlation_id, recorded FROM events WHERE position >= $p ORDER BY position LIMIT 1";
        var p = command.Parameters.Add("$p", SqliteType.Integer);
        for (var i = 0; i < 500; i++)
        {
            p.Value = lo + (long)(random.NextDouble() * (hi - lo));
            using var reader = command.ExecuteReader();
            if (reader.Read())
                rows.Add(new SampledRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero)));
        }

        command.Parameters.Clear();
        command.CommandText = "SELECT min(recorded), max(recorded) FROM events";
        DateTimeOffset first, last;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (first, last) = (new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero));
        }

        command.CommandText = "SELECT account_id FROM accounts ORDER BY event_count DESC LIMIT 1";
        var longest = (string)command.ExecuteScalar()!;
        return new Samples(count, first, last, rows, longest);
    }

    private sealed record SampledRow(string? Actor, string? Reference, string? Correlation, DateTimeOffset Recorded);

    private sealed record Samples(long Events, DateTimeOffset First, DateTimeOffset Last, List<SampledRow> Rows, string LongestAccount);

    private sealed record Measured(long Count, TimeSpan Elapsed, long Before, long Peak)
    {
        public double Rate => Count / Elapsed.TotalSeconds;
    }
}
