using FsCheck.Xunit;

namespace AuditDashboard.Core.Tests.Replay;

/// <summary>
/// The replay keeps the state after every event instead of folding on demand; for any history, what it keeps must be
/// what folding the prefix from scratch gives.
/// </summary>
public sealed class AccountReplayPropertyTests
{
    [Property(Arbitrary = [typeof(Histories)], MaxTest = 300, EndSize = 60)]
    public void StateAtEveryPosition_EqualsAPlainFoldOfThatPrefix(History history)
    {
        var events = history.Stored();
        var replay = AccountReplay.Of(History.Account, History.Entries(events), ReplayView.Recorded);

        Assert.Equal(events.Count, replay.Count);
        for (var k = 0; k < events.Count; k++)
        {
            var point = replay.At(k);
            var expected = FoldFromScratch(events.Take(k + 1));

            Assert.Equal(k, point.Index);
            Assert.Same(events[k], point.Entry?.Record);
            Assert.Equal(expected.Balance, point.State.Balance);
            Assert.Equal(expected.Status, point.State.Status);
            Assert.Equal(expected.Owner, point.State.Owner);
            Assert.Equal(expected.Currency, point.State.Currency);
            Assert.Equal(expected.OpenedAt, point.State.OpenedAt);
            Assert.Equal(events[k].Revision, point.State.Revision);
            Assert.Equal(events[k].Created, point.State.LastChangedAt);
            Assert.Equal(k + 1, point.State.EventCount);
        }
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 100, EndSize = 60)]
    public void BeforeTheFirstPosition_IsTheStateBeforeTheAccountExisted(History history)
    {
        var replay = AccountReplay.Of(History.Account, History.Entries(history.Stored()), ReplayView.Recorded);

        var point = replay.At(-1);

        Assert.True(point.BeforeAccountExisted);
        Assert.Equal(-1, point.Index);
        Assert.Equal(AccountState.Initial(History.Account), point.State);
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 200, EndSize = 60)]
    public void EveryRevision_AndEveryRecordedTime_LeadToTheRightPosition(History history)
    {
        var events = history.Stored();
        var replay = AccountReplay.Of(History.Account, History.Entries(events), ReplayView.Recorded);

        for (var k = 0; k < events.Count; k++)
        {
            // Events recorded at the same time are found together: the time leads to the last of them.
            var lastAtThatTime = events.Select((e, i) => (e, i)).Last(p => p.e.Created <= events[k].Created).i;

            Assert.Equal(k, replay.IndexOfRevision(events[k].Revision));
            Assert.Equal(lastAtThatTime, replay.IndexAtTime(events[k].Created));
            Assert.Equal(lastAtThatTime, replay.AtTime(events[k].Created).Index);
        }

        Assert.Null(replay.IndexOfRevision(events.Count));
        Assert.Equal(-1, replay.IndexAtTime(History.Start.AddTicks(-1)));
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 100, EndSize = 60)]
    public void CorrectedView_WhileNoEventHasAnEffectiveTimeOfItsOwn_AgreesWithTheRecordedView(History history)
    {
        // Corrections are the events with a time of their own: the history without them.
        var entries = History.Entries(new History([.. history.Steps.Where(s => !AccountEventTypes.Corrections.Contains(s.EventType))]).Stored());
        var recorded = AccountReplay.Of(History.Account, entries, ReplayView.Recorded);

        var corrected = AccountReplay.Of(History.Account, entries, ReplayView.Corrected);

        Assert.Equal(ReplayView.Corrected, corrected.View);
        for (var k = -1; k < entries.Count; k++)
            Assert.Equal(recorded.At(k), corrected.At(k));
    }

    /// <summary>The plainest fold there is: decode each event and let <see cref="AccountFold.Evolve"/> apply what it can.</summary>
    private static AccountState FoldFromScratch(IEnumerable<RecordedEvent> prefix)
    {
        var state = AccountState.Initial(History.Account);
        foreach (var record in prefix)
        {
            if (AccountEventCodec.Decode(record).Event is not { } accountEvent)
                continue;

            var before = state;
            state = AccountFold.Evolve(state, accountEvent);
            if (before.Status == AccountStatus.NotOpened && state.Status == AccountStatus.Open)
                state = state with { OpenedAt = record.Created };
        }

        return state;
    }
}
