using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Replay;

public sealed class AccountReplayTimeTests
{
    private static readonly DateTimeOffset Opening = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Payday = Opening.AddHours(1);
    private static readonly DateTimeOffset Rent = Opening.AddHours(2);

    /// <summary>Opened at 08:00, +100 at 09:00, then +10, +20 and −5 in one append at 10:00. Balance 125.</summary>
    private static readonly AccountReplay Sample = AccountReplay.Of("ACC-1", Fold(
        At(Opening, Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"))),
        At(Payday, Recorded(1, new FundsDeposited(100m, "EUR", "SAL-1"))),
        At(Rent, Recorded(2, new FundsDeposited(10m, "EUR", null))),
        At(Rent, Recorded(3, new FundsDeposited(20m, "EUR", null))),
        At(Rent, Recorded(4, new FundsWithdrawn(5m, "EUR", null)))), ReplayView.Recorded);

    [Fact]
    public void AtTime_ExactlyAtAnEventsTime_IncludesThatEvent()
    {
        var point = Sample.AtTime(Payday);

        Assert.Equal(1, point.Index);
        Assert.Equal(1, point.Entry?.Revision);
        Assert.Equal(100m, point.State.Balance);
    }

    [Fact]
    public void AtTime_OneTickBeforeAnEvent_ExcludesIt()
    {
        var point = Sample.AtTime(Payday.AddTicks(-1));

        Assert.Equal(0, point.Index);
        Assert.Equal(0m, point.State.Balance);
        Assert.Equal(AccountStatus.Open, point.State.Status);
    }

    [Fact]
    public void AtTime_BeforeTheFirstEvent_IsBeforeTheAccountExisted()
    {
        var point = Sample.AtTime(Opening.AddTicks(-1));

        Assert.True(point.BeforeAccountExisted);
        Assert.Equal(-1, point.Index);
        Assert.Null(point.Entry);
        Assert.Equal(AccountState.Initial("ACC-1"), point.State);
    }

    [Fact]
    public void AtTime_AfterTheLastEvent_IsTheLatestState()
    {
        var point = Sample.AtTime(Rent.AddYears(1));

        Assert.Equal(Sample.Latest, point);
        Assert.Equal(4, point.Index);
        Assert.Equal(125m, point.State.Balance);
    }

    [Fact]
    public void AtTime_OfSeveralEventsRecordedTogether_IsAfterTheLastOfThem()
    {
        var point = Sample.AtTime(Rent);

        Assert.Equal(4, point.Index);
        Assert.Equal(125m, point.State.Balance);
        Assert.Equal(1, Sample.IndexAtTime(Rent.AddTicks(-1)));
    }

    [Fact]
    public void AtTime_AMomentGivenInAnotherOffset_IsTheSameInstant()
    {
        var paydayInParis = Payday.ToOffset(TimeSpan.FromHours(1));

        Assert.Equal(1, Sample.AtTime(paydayInParis).Index);
        Assert.Equal(0, Sample.AtTime(paydayInParis.AddTicks(-1)).Index);
    }

    [Fact]
    public void AtTime_OfAnEmptyTimeline_IsBeforeTheAccountExisted()
    {
        var replay = AccountReplay.Of("ACC-1", [], ReplayView.Recorded);

        Assert.True(replay.AtTime(Payday).BeforeAccountExisted);
        Assert.Equal(-1, replay.Latest.Index);
    }

    [Fact]
    public void AtLocalTime_WhenTheClocksJumpForward_TheHourAfterTheJumpFindsTheEventOfThatInstant()
    {
        // In Paris on 29 March 2026, 02:00 CET (01:00 UTC) became 03:00 CEST.
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var replay = AccountReplay.Of("ACC-1", Fold(
            At(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"))),
            At(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero), Recorded(1, new FundsDeposited(1m, "EUR", null))),
            At(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), Recorded(2, new FundsDeposited(2m, "EUR", null)))), ReplayView.Recorded);

        Assert.True(Moments.TryParse("2026-03-29T01:59", paris, out var justBefore, out _));
        Assert.True(Moments.TryParse("2026-03-29T03:00", paris, out var justAfter, out _));

        Assert.Equal(1, replay.AtTime(justBefore).Index);
        Assert.Equal(2, replay.AtTime(justAfter).Index);
        Assert.Equal(TimeSpan.FromMinutes(1), justAfter - justBefore);
    }

    [Fact]
    public void AtTime_InTheHourRepeatedWhenTheClocksGoBack_TheOffsetSaysWhichOfTheTwo()
    {
        // In Paris on 25 October 2026, 03:00 CEST (01:00 UTC) became 02:00 CET: 02:30 happened at 00:30 and at 01:30 UTC.
        var replay = AccountReplay.Of("ACC-1", Fold(
            At(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"))),
            At(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), Recorded(1, new FundsDeposited(1m, "EUR", null))),
            At(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), Recorded(2, new FundsDeposited(2m, "EUR", null)))), ReplayView.Recorded);

        Assert.True(Moments.TryParse("2026-10-25T02:30+02:00", zone: null, out var first, out _));
        Assert.True(Moments.TryParse("2026-10-25T02:30+01:00", zone: null, out var second, out _));

        Assert.Equal(1, replay.AtTime(first).Index);
        Assert.Equal(2, replay.AtTime(second).Index);
    }

    private static RecordedEvent At(DateTimeOffset created, RecordedEvent e) => e with { Created = created };
}
