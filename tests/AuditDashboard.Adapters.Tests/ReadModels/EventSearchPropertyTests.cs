using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;
using System.Globalization;
using FsCheck.Xunit;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// For any events and any filters, a search of the event index (a real SQLite file, and the in-memory store) read page
/// by page to its end gives exactly what filtering every event by hand gives, in the order of recorded times (then of
/// positions) asked for, with that count. Recorded times need not follow the positions (a ledger copied from another).
/// </summary>
public sealed class EventSearchPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Owners = ["Ana Lima", "Bruno Costa", "ana maria Souza", "Zoë Ødegaard"];
    private static readonly string?[] Actors = ["sam", "sara", "olivia", null];
    private static readonly string?[] References = ["TRX-1", "TRX-2", "trx-1", null];
    private static readonly string?[] Correlations = ["c-1", "c-2", "c-3", null];
    private static readonly string?[] Sources = ["seed", "support", null];
    private static readonly string?[] Reasons = ["Duplicate deposit", "customer request: duplicate", "Fraud check 42", "Dup", "reversal of TRX-1", null];
    private static readonly string[] OwnerTerms = ["ana", "LIMA", "zo", "Co", "xyz", "Ødeg", "a"];
    private static readonly string[] TextTerms = ["dup", "DUPLICATE deposit", "fraud 4", "trx", "request", "zzz", "42"];

    [Property(MaxTest = 100)]
    public void Search_ReadToItsEnd_EqualsEveryEventFilteredByHand(int seed)
    {
        var random = new Random(seed);
        var events = RandomEvents(random);
        var query = RandomQuery(random, events);
        var expected = events.Where(e => Matches(query, e)).OrderBy(e => (e.Recorded, e.Position)).ToList();
        if (!query.OldestFirst)
            expected.Reverse();

        using var folder = new TempFolder();
        var sqlite = new SqliteReadModelStore($"Data Source={folder.File("readmodels.db")}");
        try
        {
            foreach (var store in new IReadModelStore[] { sqlite, new InMemoryReadModelStore() })
            {
                Fill(store, events);
                var (found, totals) = ReadToTheEnd(store, query);

                Assert.Equal(expected.Select(e => e.Position), found.Select(e => e.Position));
                Assert.Equal(expected, found);
                Assert.All(totals, total => Assert.Equal(expected.Count, total));
            }
        }
        finally
        {
            sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static (List<IndexedEvent> Found, List<long?> Totals) ReadToTheEnd(IReadModelStore store, EventQuery query)
    {
        var found = new List<IndexedEvent>();
        var totals = new List<long?>();
        var page = query;
        for (var pages = 0; pages < 1_000; pages++)
        {
            var result = store.SearchEventsAsync(page).GetAwaiter().GetResult();
            found.AddRange(result.Items);
            totals.Add(result.Total);
            Assert.True(result.Items.Count <= query.Limit);
            if (result.Continuation is not { } next)
                return (found, totals);
            Assert.Equal(query.Limit, result.Items.Count);
            page = query with { After = next };
        }

        throw new InvalidOperationException("The search never ended.");
    }

    private static void Fill(IReadModelStore store, List<IndexedEvent> events)
    {
        store.OpenAsync("ledger").GetAwaiter().GetResult();
        var writing = store.BeginAsync().GetAwaiter().GetResult();
        var accounts = Owners.Select((owner, i) => new AccountState($"ACC-{i}", owner, "EUR", 0m, AccountStatus.Open, 0, Start, Start, 1)).ToList();
        writing.PutAccountsAsync(accounts).GetAwaiter().GetResult();

        // In two transactions, the first while the store builds from nothing (the SQLite store then writes rows alone and
        // makes their lookups when the build completes), the second after it and repeating part of the first: an event
        // put again is kept once.
        var half = events.Count / 2;
        writing.PutEventsAsync(events.Take(half + 2).ToList()).GetAwaiter().GetResult();
        writing.SetCheckpointAsync(AccountDirectory.ProjectionName, half + 2).GetAwaiter().GetResult();
        writing.CommitAsync().GetAwaiter().GetResult();
        writing.DisposeAsync().AsTask().GetAwaiter().GetResult();
        store.CompleteFirstBuildAsync().GetAwaiter().GetResult();

        writing = store.BeginAsync().GetAwaiter().GetResult();
        writing.PutEventsAsync(events.Skip(half).ToList()).GetAwaiter().GetResult();
        writing.SetCheckpointAsync(AccountDirectory.ProjectionName, events.Count == 0 ? 0 : events[^1].Position).GetAwaiter().GetResult();
        writing.CommitAsync().GetAwaiter().GetResult();
        writing.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static List<IndexedEvent> RandomEvents(Random random)
    {
        var events = new List<IndexedEvent>();
        var position = 0L;
        var revisions = new long[Owners.Length];
        for (var i = random.Next(0, 120); i > 0; i--)
        {
            position += random.Next(1, 50);
            var recorded = Start.AddMinutes(random.Next(0, 40) * 30); // some events share a moment
            var account = random.Next(Owners.Length);
            var type = Pick(random, AccountEventTypes.All.ToArray());
            var moves = type is AccountEventTypes.FundsDeposited or AccountEventTypes.FundsWithdrawn or AccountEventTypes.TransactionReversed or AccountEventTypes.BalanceCorrected;
            var amount = moves ? Math.Round((decimal)(random.NextDouble() * 20_000 - 10_000), 2) : (decimal?)null;
            var effective = type is AccountEventTypes.TransactionReversed or AccountEventTypes.BalanceCorrected ? Start.AddHours(random.Next(0, 24 * 60)) : recorded;
            events.Add(new IndexedEvent(
                position, $"ACC-{account}", revisions[account]++, Guid.NewGuid(), type, Pick(random, Actors), recorded, effective,
                amount, moves ? Pick(random, ["EUR", "USD"]) : null,
                type is AccountEventTypes.FundsDeposited or AccountEventTypes.FundsWithdrawn ? Pick(random, References) : null,
                Pick(random, Correlations), Pick(random, Correlations), Pick(random, Sources), Pick(random, Reasons), random.Next(10) == 0));
        }

        return events;
    }

    private static EventQuery RandomQuery(Random random, List<IndexedEvent> events)
    {
        bool Sometimes() => random.Next(6) == 0;
        DateTimeOffset Moment() => events.Count > 0 && random.Next(3) > 0
            ? events[random.Next(events.Count)].Recorded.AddMinutes(random.Next(-1, 2))
            : Start.AddHours(random.Next(-10, 24 * 60));
        decimal Amount() => random.Next(0, 10_001) + random.Next(0, 100) / 100m;

        return new EventQuery
        {
            Actor = Sometimes() ? Pick(random, ["sam", "sara", "olivia", "nobody"]) : null,
            Types = Sometimes() ? AccountEventTypes.All.Where(_ => random.Next(3) == 0).ToList() : [],
            AccountId = Sometimes() ? $"ACC-{random.Next(Owners.Length + 1)}" : null,
            Owner = Sometimes() ? Pick(random, OwnerTerms) : null,
            RecordedFrom = Sometimes() ? Moment() : null,
            RecordedTo = Sometimes() ? Moment() : null,
            EffectiveFrom = Sometimes() ? Moment() : null,
            EffectiveTo = Sometimes() ? Moment() : null,
            MinAmount = Sometimes() ? Amount() : null,
            MaxAmount = Sometimes() ? Amount() : null,
            Currency = Sometimes() ? Pick(random, ["EUR", "USD", "GBP"]) : null,
            Reference = Sometimes() ? Pick(random, ["TRX-1", "TRX-2", "TRX-9"]) : null,
            CorrelationId = Sometimes() ? Pick(random, ["c-1", "c-2", "c-9"]) : null,
            CausationId = Sometimes() ? Pick(random, ["c-1", "c-3"]) : null,
            Source = Sometimes() ? Pick(random, ["seed", "support", "other"]) : null,
            FlaggedOnly = Sometimes(),
            Text = Sometimes() ? Pick(random, TextTerms) : null,
            OldestFirst = random.Next(2) == 0,
            Limit = random.Next(1, 8),
        };
    }

    /// <summary>The filters, written out again by hand: every one that is set must hold.</summary>
    private static bool Matches(EventQuery q, IndexedEvent e)
    {
        var owner = Owners[int.Parse(e.AccountId["ACC-".Length..], CultureInfo.InvariantCulture)];
        var size = e.Amount is { } a ? Math.Abs(a) : (decimal?)null;
        var reasonWords = (e.Reason ?? "").ToLowerInvariant().Split([' ', ':', '-'], StringSplitOptions.RemoveEmptyEntries);
        var textWords = (q.Text ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (q.Actor is null || q.Actor == e.Actor)
            && (q.Types.Count == 0 || q.Types.Contains(e.EventType))
            && (q.AccountId is null || q.AccountId == e.AccountId)
            && (q.Owner is null || owner.ToUpperInvariant().Contains(q.Owner.ToUpperInvariant(), StringComparison.Ordinal))
            && (q.RecordedFrom is null || e.Recorded >= q.RecordedFrom)
            && (q.RecordedTo is null || e.Recorded <= q.RecordedTo)
            && (q.EffectiveFrom is null || e.EffectiveAt >= q.EffectiveFrom)
            && (q.EffectiveTo is null || e.EffectiveAt <= q.EffectiveTo)
            && (q.MinAmount is null || (size is not null && size >= q.MinAmount))
            && (q.MaxAmount is null || (size is not null && size <= q.MaxAmount))
            && (q.Currency is null || q.Currency == e.Currency)
            && (q.Reference is null || q.Reference == e.Reference)
            && (q.CorrelationId is null || q.CorrelationId == e.CorrelationId)
            && (q.CausationId is null || q.CausationId == e.CausationId)
            && (q.Source is null || q.Source == e.Source)
            && (!q.FlaggedOnly || e.Flagged)
            && textWords.All(w => reasonWords.Any(r => r.StartsWith(w, StringComparison.Ordinal)));
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
