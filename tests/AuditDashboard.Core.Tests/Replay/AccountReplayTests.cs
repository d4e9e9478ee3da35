using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Replay;

public sealed class AccountReplayTests
{
    /// <summary>Opened, +100, an unknown event, −30, frozen: five positions, balance 70.</summary>
    private static readonly List<TimelineEntry> Entries = Fold(
        Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
        Recorded(1, new FundsDeposited(100m, "EUR", null)),
        Raw(2, "LoyaltyPointsGranted", """{"points":40}"""),
        Recorded(3, new FundsWithdrawn(30m, "EUR", null)),
        Recorded(4, new AccountFrozen()));

    private static readonly AccountReplay Sample = AccountReplay.Of("ACC-1", Entries, ReplayView.Recorded);

    [Fact]
    public void At_EachPosition_IsTheStateAfterThatEvent_WithTheEventThatProducedIt()
    {
        Assert.Equal(5, Sample.Count);
        Assert.Equal([0m, 100m, 100m, 70m, 70m], Enumerable.Range(0, 5).Select(i => Sample.At(i).State.Balance));
        Assert.Equal(Entries, Enumerable.Range(0, 5).Select(i => Sample.At(i).Entry));
        Assert.Equal(AccountStatus.Frozen, Sample.Latest.State.Status);
        Assert.Same(Entries[4].StateAfter, Sample.Latest.State);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void At_APositionOutsideTheReplay_Throws(int index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample.At(index));
    }

    [Fact]
    public void IndexOfRevision_FindsEachRevision_AndNothingOutsideThem()
    {
        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(r => Sample.IndexOfRevision(r)));
        Assert.Null(Sample.IndexOfRevision(-1));
        Assert.Null(Sample.IndexOfRevision(5));
        Assert.Null(Sample.IndexOfRevision(long.MaxValue));
    }

    [Fact]
    public void IndexOfRevision_InAStreamWithGaps_FindsThePositionOfTheRevision()
    {
        var replay = AccountReplay.Of("ACC-1", Fold(
            Recorded(10, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(12, new FundsDeposited(1m, "EUR", null)),
            Recorded(15, new FundsDeposited(2m, "EUR", null))), ReplayView.Recorded);

        Assert.Equal(0, replay.IndexOfRevision(10));
        Assert.Equal(2, replay.IndexOfRevision(15));
        Assert.Null(replay.IndexOfRevision(11));
        Assert.Null(replay.IndexOfRevision(0));
    }

    [Fact]
    public void CorrectedView_WhileNoEntryHasAnEffectiveTimeOfItsOwn_EqualsTheRecordedView()
    {
        var corrected = AccountReplay.Of("ACC-1", Entries, ReplayView.Corrected);

        Assert.Equal(ReplayView.Corrected, corrected.View);
        Assert.Equal(Sample.Count, corrected.Count);
        for (var i = -1; i < Sample.Count; i++)
        {
            Assert.Equal(Sample.At(i), corrected.At(i));
        }

        for (var i = 0; i < Sample.Count; i++)
        {
            Assert.Equal(Sample.TimeAt(i), corrected.TimeAt(i));
            Assert.Equal(Sample.IndexAtTime(Sample.TimeAt(i)), corrected.IndexAtTime(Sample.TimeAt(i)));
        }

        Assert.Equal(Sample.IndexOfRevision(3), corrected.IndexOfRevision(3));
        Assert.Equal(Sample.Between(0, 4), corrected.Between(0, 4));
    }

    [Fact]
    public void Between_TwoPositions_ReturnsTheEventsAfterTheFirstUpToAndIncludingTheSecond()
    {
        var between = Sample.Between(1, 3);

        Assert.Equal([2L, 3L], between.Select(e => e.Revision));
    }

    [Fact]
    public void Between_InEitherOrder_ReturnsTheSameEventsOldestFirst()
    {
        Assert.Equal(Sample.Between(1, 4), Sample.Between(4, 1));
        Assert.Equal([2L, 3L, 4L], Sample.Between(4, 1).Select(e => e.Revision));
    }

    [Fact]
    public void Between_BeforeTheAccountExistedAndTheLatest_ReturnsEveryEvent()
    {
        Assert.Equal(Entries, Sample.Between(-1, 4));
        Assert.Equal(Entries, Sample.Between(4, -1));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(-1, -1)]
    public void Between_APositionAndItself_ReturnsNothing(int from, int to)
    {
        Assert.Empty(Sample.Between(from, to));
    }

    [Fact]
    public void Between_PositionsBeyondTheEnds_StopsAtTheEnds()
    {
        Assert.Equal(Entries, Sample.Between(-7, 99));
    }

    [Fact]
    public void Between_AndStateDiff_TellWhatHappenedBetweenTwoPositions()
    {
        var from = Sample.At(1);
        var to = Sample.At(4);

        var events = Sample.Between(from.Index, to.Index);
        var changes = StateDiff.Between(from.State, to.State);

        Assert.Equal(["LoyaltyPointsGranted", AccountEventTypes.FundsWithdrawn, AccountEventTypes.AccountFrozen], events.Select(e => e.EventType));
        Assert.Equal([new FieldChange("Status", "Open", "Frozen"), new FieldChange("Balance", "100.00 EUR", "70.00 EUR")], changes);
    }
}
