using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.EventStore;


namespace AuditDashboard.Benchmarks;

/// <summary>One account's history as a payments system and tellers would write it: opened, then deposits and withdrawals.</summary>
internal static class BenchHistory
{
    /// <summary>
    /// Appends <paramref name="count"/> events to <paramref name="account"/> in batches of <paramref name="batchSize"/>;
    /// <paramref name="afterAppend"/> runs after each append (e.g. to move a test clock on). Returns the last revision.
    /// </summary>
    public static async Task<long> SeedAsync(IEventStore store, string account, int count, int batchSize, Action? afterAppend = null)
    {
        var random = new Random(7);
        var stream = AccountIds.StreamOf(account);
        var expected = ExpectedRevision.NoStream;
        var batch = new List<EventData>(batchSize);
        for (var i = 0; i < count; i++)
        {
            batch.Add(i == 0
                ? AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(account, "Ana Lima", "EUR"), Metadata(random, "Customer onboarding", "teller:olivia", "branch-app"))
                : i % 3 == 0
                    ? AccountEventCodec.Encode(Guid.NewGuid(), new FundsWithdrawn(Money(random, 400), "EUR", $"CARD-{i:D10}"), Metadata(random, "Card payment, \"online\"", "system:card-processor", "card-processor"))
                    : AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(Money(random, 700), "EUR", $"TRX-{i:D10}"), Metadata(random, "Incoming transfer from Bruno Keller", "system:payments-gateway", "payments-gateway")));

            if (batch.Count == batchSize || i == count - 1)
            {
                var result = await store.AppendAsync(stream, expected, batch);
                expected = ExpectedRevision.Exact(result.NextExpectedRevision);
                batch.Clear();
                afterAppend?.Invoke();
            }
        }

        return await store.GetLastRevisionAsync(stream) ?? throw new InvalidOperationException("Nothing was seeded.");
    }

    private static decimal Money(Random random, int maxUnits) => random.Next(100, maxUnits * 100) / 100m;

    private static EventMetadata Metadata(Random random, string reason, string actor, string source) => new(
        actor,
        reason,
        CorrelationId: Guid.NewGuid().ToString("N"),
        CausationId: random.Next(4) == 0 ? Guid.NewGuid().ToString("N") : null,
        Source: source);
}
