using AuditDashboard.Core.Export;
using AuditDashboard.Core.ReadModels;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace AuditDashboard.Core.Tests.Replay;

/// <summary>
/// The history reads any moment from the nearest mark the directory kept and the events after it; for any history,
/// any mark interval and any way the events reach the directory in batches, what it gives must be what folding the
/// whole prefix gives.
/// </summary>
public sealed class AccountHistoryPropertyTests
{
    [Property(Arbitrary = [typeof(Histories)], MaxTest = 150, EndSize = 60)]
    public void EntryAtEveryRevision_AndAtEveryRecordedTime_EqualsTheFoldOfThePrefix(History history, PositiveInt interval, PositiveInt batch)
    {
        var (accounts, events) = Ledger(history, markInterval: 1 + (interval.Get % 12), batchSize: 1 + (batch.Get % 9));
        var expected = History.Entries(events);

        for (var k = 0; k < events.Count; k++)
        {
            var lastAtThatTime = expected.Last(e => e.Recorded <= events[k].Created);

            Assert.Equal(expected[k], accounts.AtRevisionAsync(History.Account, k).GetAwaiter().GetResult());
            Assert.Equal(lastAtThatTime, accounts.AtTimeAsync(History.Account, events[k].Created).GetAwaiter().GetResult());
        }

        Assert.Null(accounts.AtRevisionAsync(History.Account, events.Count).GetAwaiter().GetResult());
        Assert.Null(accounts.AtTimeAsync(History.Account, History.Start.AddTicks(-1)).GetAwaiter().GetResult());
        Assert.Equal(expected[^1], accounts.AtTimeAsync(History.Account, DateTimeOffset.MaxValue).GetAwaiter().GetResult());
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 100, EndSize = 60)]
    public void AnyWindow_EqualsThatSliceOfTheFoldedTimeline(History history, PositiveInt interval, NonNegativeInt from, PositiveInt count)
    {
        var (accounts, events) = Ledger(history, markInterval: 1 + (interval.Get % 12), batchSize: 5);
        var expected = History.Entries(events);
        var start = from.Get % (events.Count + 2);

        var window = accounts.ReadAsync(History.Account, start, count.Get % 20).GetAwaiter().GetResult();

        Assert.Equal(expected.Skip(start).Take(count.Get % 20), window);
        Assert.Equal(events.Count - 1, accounts.LastRevisionAsync(History.Account).GetAwaiter().GetResult());
    }

    /// <summary>
    /// A long account's page replays it from the marks, a block at a time: every position, walked forwards and back,
    /// every moment, any range between two positions and the chart's samples must be those of the replay of the whole
    /// folded timeline, whatever the mark interval and the block size.
    /// </summary>
    [Property(Arbitrary = [typeof(Histories)], MaxTest = 100, EndSize = 60)]
    public void AMarkedReplay_AnswersAsTheReplayOfTheWholeTimeline(History history, PositiveInt interval, PositiveInt block, NonNegativeInt from, NonNegativeInt to)
    {
        var (accounts, events) = Ledger(history, markInterval: 1 + (interval.Get % 12), batchSize: 4);
        var entries = History.Entries(events);
        if (entries.Count == 0)
            return;
        var expected = AccountReplay.Of(History.Account, entries, ReplayView.Recorded);

        var marked = new MarkedReplay(accounts, entries[^1], blockSize: 1 + (block.Get % 15));

        Assert.Equal(expected.Count, marked.Count);
        Assert.Equal(expected.LastRevision, marked.LastRevision);
        foreach (var i in Enumerable.Range(-1, expected.Count + 1).Concat(Enumerable.Range(-1, expected.Count + 1).Reverse()))
            Assert.Equal(expected.At(i), marked.AtAsync(i).AsTask().GetAwaiter().GetResult());
        foreach (var e in events)
            Assert.Equal(expected.IndexAtTime(e.Created), marked.IndexAtTimeAsync(e.Created).AsTask().GetAwaiter().GetResult());
        Assert.Equal(-1, marked.IndexAtTimeAsync(History.Start.AddTicks(-1)).AsTask().GetAwaiter().GetResult());
        var (a, b) = ((from.Get % (expected.Count + 1)) - 1, (to.Get % (expected.Count + 1)) - 1);
        Assert.Equal(expected.Between(a, b).Take(7), marked.BetweenAsync(a, b, limit: 7).AsTask().GetAwaiter().GetResult());

        AssertSamplesOf(expected, marked);
    }

    /// <summary>
    /// The corrected view of a long account moves its few corrections to where they take effect and shifts the balance
    /// between: every position, walked forwards and back, every revision, every recorded and effective moment, any range
    /// and the chart's samples must be those of the corrected replay of the whole folded timeline, whatever the mark
    /// interval and block size, and with the last events not yet applied by the directory (found in the store).
    /// </summary>
    [Property(Arbitrary = [typeof(Histories)], MaxTest = 150, EndSize = 60)]
    public void ACorrectedMarkedReplay_AnswersAsTheCorrectedReplayOfTheWholeTimeline(
        History history, PositiveInt interval, PositiveInt block, NonNegativeInt unapplied, NonNegativeInt from, NonNegativeInt to)
    {
        var (accounts, events) = Ledger(history, markInterval: 1 + (interval.Get % 12), batchSize: 3, unapplied: unapplied.Get % 5);
        var entries = History.Entries(events);
        if (entries.Count == 0)
            return;
        var expected = AccountReplay.Of(History.Account, entries, ReplayView.Corrected);

        var corrected = CorrectedMarkedReplay.OpenAsync(accounts, new MarkedReplay(accounts, entries[^1], blockSize: 1 + (block.Get % 15))).GetAwaiter().GetResult();

        Assert.Equal(expected.Count, corrected.Count);
        Assert.Equal(expected.LastRevision, corrected.LastRevision);
        foreach (var i in Enumerable.Range(-1, expected.Count + 1).Concat(Enumerable.Range(-1, expected.Count + 1).Reverse()))
            Assert.Equal(expected.At(i), corrected.AtAsync(i).AsTask().GetAwaiter().GetResult());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.RevisionAt(i), corrected.RevisionAt(i));
            Assert.Equal(i, corrected.IndexOfRevision(expected.RevisionAt(i)));
        }

        Assert.Null(corrected.IndexOfRevision(expected.Count));
        foreach (var moment in entries.SelectMany(e => new[] { e.Recorded, e.EffectiveAt, e.EffectiveAt.AddTicks(-1) }))
            Assert.Equal(expected.IndexAtTime(moment), corrected.IndexAtTimeAsync(moment).AsTask().GetAwaiter().GetResult());
        var (a, b) = ((from.Get % (expected.Count + 1)) - 1, (to.Get % (expected.Count + 1)) - 1);
        Assert.Equal(expected.Between(a, b).Take(7), corrected.BetweenAsync(a, b, limit: 7).AsTask().GetAwaiter().GetResult());

        AssertSamplesOf(expected, corrected);

        // The same account as it was at each earlier event, read through the same history (which keeps where corrections
        // land once it knows): the corrected view of that prefix.
        for (var k = 0; k < entries.Count - 1; k++)
        {
            var earlier = AccountReplay.Of(History.Account, entries.Take(k + 1).ToList(), ReplayView.Corrected);
            var shorter = CorrectedMarkedReplay.OpenAsync(accounts, new MarkedReplay(accounts, entries[k], blockSize: 1 + (block.Get % 15))).GetAwaiter().GetResult();
            for (var i = -1; i < earlier.Count; i++)
                Assert.Equal(earlier.At(i), shorter.AtAsync(i).AsTask().GetAwaiter().GetResult());
        }

        // An export's range is counted by two searches by time; the same as counting the entries it holds, in either view.
        var marked = corrected.Recorded;
        var (first, second) = (entries[from.Get % entries.Count].EffectiveAt, entries[to.Get % entries.Count].Recorded);
        foreach (var range in new[] { ExportRange.All, new(first, null), new(null, first), new(Min(first, second), Max(first, second)), new(first, first) })
        {
            Assert.Equal(range.CountIn(entries, ReplayView.Corrected), range.CountInAsync(corrected).GetAwaiter().GetResult());
            Assert.Equal(range.CountIn(entries, ReplayView.Recorded), range.CountInAsync(marked).GetAwaiter().GetResult());
        }
    }

    /// <summary>
    /// A correction taking effect after later events were recorded lands after them; read again as the account was
    /// before those events (an export planned earlier, a page opened earlier), it lands last, whatever was kept.
    /// </summary>
    [Fact]
    public async Task ACorrectionTakingEffectLater_LandsAfterTheEventsBefore_AndLastInAShorterHistory()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        static HistoryStep Step(AccountEvent e, int minutes)
        {
            var data = AccountEventCodec.Encode(Guid.Empty, e, new EventMetadata("teller:ana", "Test", "corr-1", null, "tests"));
            return new HistoryStep(data.EventType, Encoding.UTF8.GetString(data.Data.Span), Encoding.UTF8.GetString(data.Metadata.Span), minutes);
        }

        var history = new History(
        [
            Step(new AccountOpened(History.Account, "Ana Lima", "EUR"), 0),
            Step(new FundsDeposited(10m, "EUR", null), 10),
            Step(new BalanceCorrected(5m, "EUR", null, History.Start.AddMinutes(55)), 10),
            Step(new FundsDeposited(20m, "EUR", null), 30),
            Step(new FundsDeposited(40m, "EUR", null), 10),
        ]);
        var (accounts, events) = Ledger(history, markInterval: 2, batchSize: 5);
        var entries = History.Entries(events);

        var whole = await CorrectedMarkedReplay.OpenAsync(accounts, new MarkedReplay(accounts, entries[^1], blockSize: 2), cancellationToken);
        var shorter = await CorrectedMarkedReplay.OpenAsync(accounts, new MarkedReplay(accounts, entries[2], blockSize: 2), cancellationToken);

        Assert.Equal([0L, 1L, 3L, 2L, 4L], Enumerable.Range(0, whole.Count).Select(whole.RevisionAt));
        Assert.Equal([0L, 1L, 2L], Enumerable.Range(0, shorter.Count).Select(shorter.RevisionAt));
        Assert.Equal(15m, (await shorter.AtAsync(2, cancellationToken)).State.Balance);
    }

    // The chart's samples: from the first position to the last, in order, each the balance and time of the whole replay there.
    private static void AssertSamplesOf(AccountReplay expected, IReplaySource replay)
    {
        var samples = replay.BalanceAsync().AsTask().GetAwaiter().GetResult();
        Assert.Equal(0, samples.Positions[0]);
        Assert.Equal(expected.Count - 1, samples.Positions[^1]);
        Assert.True(samples.Positions.Zip(samples.Positions.Skip(1)).All(p => p.First < p.Second), "the samples are not in order");
        Assert.Equal(samples.Positions.Select(p => expected.At(p).State.Balance), samples.Balances);
        Assert.Equal(samples.Positions.Select(expected.TimeAt), samples.Times);
        Assert.Equal((expected.TimeAt(0), expected.TimeAt(expected.Count - 1)), (samples.First, samples.Last));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    /// <summary>
    /// The history appended to an in-memory ledger at its recorded times, and the directory projected from it in batches
    /// (all but the <paramref name="unapplied"/> last events):
    /// the history reader over both, and the events as the store keeps them.
    /// </summary>
    private static (AccountHistory Accounts, IReadOnlyList<RecordedEvent> Events) Ledger(History history, int markInterval, int batchSize, int unapplied = 0)
    {
        var clock = new FakeTimeProvider(History.Start);
        var store = new InMemoryEventStore(clock);
        var stream = AccountIds.StreamOf(History.Account);
        foreach (var step in history.Steps)
        {
            clock.Advance(TimeSpan.FromMinutes(step.MinutesAfterPrevious));
            store.AppendAsync(stream, ExpectedRevision.Any, [new EventData(Guid.NewGuid(), step.EventType, Encoding.UTF8.GetBytes(step.Data), Encoding.UTF8.GetBytes(step.Metadata))])
                .GetAwaiter().GetResult();
        }

        var readModels = new InMemoryReadModelStore();
        var directory = new AccountDirectory(readModels, batchSize, markInterval);
        var events = store.ReadStreamAsync(stream, Direction.Forwards, 0, long.MaxValue).ToListAsync().AsTask().GetAwaiter().GetResult();
        foreach (var chunk in events.SkipLast(unapplied).Chunk(batchSize))
            directory.ApplyAsync(chunk).GetAwaiter().GetResult();

        return (new AccountHistory(store, readModels, timeSearchPage: markInterval), events);
    }
}
