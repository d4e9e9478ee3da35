using AuditDashboard.Accounts;
using AuditDashboard.EventStore;

namespace AuditDashboard.Seeding;

/// <summary>Writes generated histories through the store port, as any writer would.</summary>
internal static class DemoSeeder
{
    public const int FirstAccountNumber = 100001;

    /// <summary>
    /// About <paramref name="accounts"/> accounts with 15–80 events each over the last half year, written in the order
    /// they happened across accounts (so commit order and recorded time agree). Returns how many events were written.
    /// </summary>
    public static async Task<int> SeedDemoAsync(IEventStore store, SimulatedClock clock, int accounts, int seed, CancellationToken cancellationToken)
    {
        var generator = new HistoryGenerator(seed);
        var random = new Random(seed);
        var end = DateTimeOffset.UtcNow.AddHours(-1);
        var planned = new List<PlannedEvent>();
        for (var i = 0; i < accounts; i++)
        {
            var start = end.AddDays(-random.Next(60, 180));
            planned.AddRange(generator.Account(AccountNumber(i), random.Next(15, 81), start, end, recordOneDepositTwice: i % 12 == 3));
        }

        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in planned.OrderBy(e => e.At))
        {
            clock.Now = e.At;
            var expected = revisions.TryGetValue(e.AccountId, out var last) ? ExpectedRevision.Exact(last) : ExpectedRevision.NoStream;
            var result = await store.AppendAsync(AccountIds.StreamOf(e.AccountId), expected, [AccountEventCodec.Encode(Guid.NewGuid(), e.Event, e.Metadata)], cancellationToken);
            revisions[e.AccountId] = result.NextExpectedRevision;
        }

        return planned.Count;
    }

    /// <summary>
    /// Volume data: <paramref name="accounts"/> accounts of <paramref name="eventsPerAccount"/> events each, written in
    /// batches, reporting progress after every batch. New accounts are numbered after any that exist.
    /// </summary>
    public static async Task<long> SeedVolumeAsync(
        IEventStore store, SimulatedClock clock, int accounts, int eventsPerAccount, int seed, IProgress<long> progress, CancellationToken cancellationToken)
    {
        // Each append carries one commit time, so smaller batches give finer recorded times; 100 costs little speed.
        const int batchSize = 100;
        var generator = new HistoryGenerator(seed);
        var first = await FirstFreeBlockAsync(store, accounts, cancellationToken);
        var end = DateTimeOffset.UtcNow.AddHours(-1);
        long written = 0;
        var batch = new List<EventData>(batchSize);
        for (var i = 0; i < accounts; i++)
        {
            var accountId = AccountNumber(first + i);
            var stream = AccountIds.StreamOf(accountId);
            var expected = ExpectedRevision.NoStream;
            DateTimeOffset? batchTime = null;
            foreach (var e in generator.Account(accountId, eventsPerAccount, end.AddDays(-730), end, recordOneDepositTwice: i % 12 == 3))
            {
                batchTime ??= e.At;
                batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), e.Event, e.Metadata));
                if (batch.Count == batchSize)
                    expected = await FlushAsync(stream, expected);
            }

            if (batch.Count > 0)
                expected = await FlushAsync(stream, expected);

            async Task<ExpectedRevision> FlushAsync(string streamId, ExpectedRevision expectedRevision)
            {
                // One recorded time per batch: the store stamps a whole append with one commit time.
                clock.Now = batchTime ?? end;
                var result = await store.AppendAsync(streamId, expectedRevision, batch, cancellationToken);
                written += batch.Count;
                batch.Clear();
                batchTime = null;
                progress.Report(written);
                return ExpectedRevision.Exact(result.NextExpectedRevision);
            }
        }

        return written;
    }

    public static string AccountNumber(int index) => $"ACC-{FirstAccountNumber + index}";

    private static async Task<int> FirstFreeBlockAsync(IEventStore store, int accounts, CancellationToken cancellationToken)
    {
        var block = 0;
        while (await store.GetLastRevisionAsync(AccountIds.StreamOf(AccountNumber(block)), cancellationToken) is not null)
            block += Math.Max(accounts, 1000);
        return block;
    }
}
