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
    /// Volume data: for each group, that many accounts of that many events, spread over the last two years and written
    /// in the order they happened across all accounts (so commit order and recorded time agree, as in a real ledger),
    /// many streams per transaction, reporting progress after every transaction. New accounts are numbered after any that exist.
    /// </summary>
    public static async Task<long> SeedVolumeAsync(
        IEventStore store, SimulatedClock clock, IReadOnlyList<AccountGroup> groups, int seed, IProgress<long> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var accounts = groups.Sum(g => g.Accounts);
        var total = groups.Sum(g => (long)g.Accounts * g.EventsPerAccount);
        var generator = new HistoryGenerator(seed);
        var first = await FirstFreeBlockAsync(store, accounts, cancellationToken);
        var end = DateTimeOffset.UtcNow.AddHours(-1);
        var histories = groups
            .SelectMany(g => Enumerable.Repeat(g.EventsPerAccount, g.Accounts))
            .Select((events, i) => generator.Account(AccountNumber(first + i), events, end.AddDays(-730), end, recordOneDepositTwice: i % 12 == 3));
        return await WriteInTimeOrderAsync(store, clock, histories, TransactionSize(total), progress, cancellationToken);
    }

    /// <summary>
    /// Events per transaction: large enough that a transaction's fixed cost is small beside its inserts, small enough that
    /// a ledger keeps at least 10,000 distinct commit times (a transaction has one).
    /// </summary>
    public static int TransactionSize(long totalEvents) => (int)Math.Clamp(totalEvents / 10_000, 1, 2_000);

    /// <summary>
    /// Merges the histories by time and writes them, <paramref name="transactionSize"/> events to a transaction, each
    /// transaction recorded at the time of its last event.
    /// </summary>
    public static async Task<long> WriteInTimeOrderAsync(
        IEventStore store, SimulatedClock clock, IEnumerable<IEnumerable<PlannedEvent>> histories, int transactionSize, IProgress<long> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(progress);
        var next = new PriorityQueue<IEnumerator<PlannedEvent>, (DateTimeOffset At, int Order)>();
        var order = 0;
        foreach (var history in histories)
        {
            var events = history.GetEnumerator();
            if (events.MoveNext())
                next.Enqueue(events, (events.Current.At, order++));
            else
                events.Dispose();
        }

        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        var pending = new Dictionary<string, List<EventData>>(StringComparer.Ordinal);
        var count = 0;
        long written = 0;
        DateTimeOffset last = default;
        while (next.TryDequeue(out var events, out var key))
        {
            var e = events.Current;
            var stream = AccountIds.StreamOf(e.AccountId);
            if (!pending.TryGetValue(stream, out var batch))
                pending[stream] = batch = [];
            batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), e.Event, e.Metadata));
            last = e.At;
            if (++count == transactionSize)
                await FlushAsync();
            if (events.MoveNext())
                next.Enqueue(events, (events.Current.At, key.Order));
            else
                events.Dispose();
        }

        if (count > 0)
            await FlushAsync();
        return written;

        async Task FlushAsync()
        {
            clock.Now = last;
            var appends = pending.Select(p => new StreamAppend(p.Key, ExpectedRevision.Of(revisions.TryGetValue(p.Key, out var r) ? r : null), p.Value)).ToList();
            var results = await store.AppendManyAsync(appends, cancellationToken);
            for (var i = 0; i < appends.Count; i++)
                revisions[appends[i].StreamId] = results[i].NextExpectedRevision;
            written += count;
            count = 0;
            pending.Clear();
            progress.Report(written);
        }
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
