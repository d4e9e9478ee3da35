using AuditDashboard.Adapters.Kafka;
using Microsoft.Extensions.Time.Testing;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>Each stream's revision order restored from deliveries in any order, on a clock the test moves.</summary>
public sealed class StreamOrderBufferTests
{
    private static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Add_InRevisionOrder_ReleasesEachEventAtOnce()
    {
        var buffer = NewBuffer();
        var first = Record("account-A", 0);
        var second = Record("account-A", 1);

        var afterFirst = buffer.Add(first);
        var afterSecond = buffer.Add(second);

        Assert.Equal([first], afterFirst);
        Assert.Equal([second], afterSecond);
        Assert.Equal(0, buffer.HeldCount);
    }

    [Fact]
    public void Add_BeforeAnEarlierRevision_HoldsIt_UntilThatRevisionArrives_ThenReleasesBothInOrder()
    {
        var buffer = NewBuffer();
        buffer.Add(Record("account-A", 0));
        var third = Record("account-A", 2);
        var fourth = Record("account-A", 3);
        var second = Record("account-A", 1);

        var early = buffer.Add(third).Concat(buffer.Add(fourth)).ToList();
        var released = buffer.Add(second);

        Assert.Empty(early);
        Assert.Equal([second, third, fourth], released);
        Assert.Equal(0, buffer.HeldCount);
    }

    [Fact]
    public void Add_OfAStreamTheBrokerAlreadyHolds_WaitsForTheRevisionAfterTheHighestPublished()
    {
        var buffer = NewBuffer(new Dictionary<string, long> { ["account-A"] = 4 });
        var sixth = Record("account-A", 6);
        var fifth = Record("account-A", 5);

        var early = buffer.Add(sixth);
        var released = buffer.Add(fifth);

        Assert.Empty(early);
        Assert.Equal([fifth, sixth], released);
    }

    [Fact]
    public void Add_WithAGapInOneStream_DoesNotHoldAnotherStream()
    {
        var buffer = NewBuffer();
        buffer.Add(Record("account-A", 0));
        buffer.Add(Record("account-A", 2));
        var other = Record("account-B", 0);

        var released = buffer.Add(other);

        Assert.Equal([other], released);
        Assert.Equal(1, buffer.HeldCount);
    }

    [Fact]
    public void ReleaseOverdue_BeforeTheHoldTimeoutOnTheClock_ReleasesNothing()
    {
        var buffer = NewBuffer();
        buffer.Add(Record("account-A", 0));
        buffer.Add(Record("account-A", 2));
        _clock.Advance(HoldTimeout);

        var released = buffer.ReleaseOverdue();

        Assert.Empty(released);
        Assert.Equal(1, buffer.HeldCount);
    }

    [Fact]
    public void ReleaseOverdue_AfterTheHoldTimeoutOnTheClock_ReleasesTheHeldEventsInOrder_AndTheStreamGoesOnFromThem()
    {
        var buffer = NewBuffer();
        buffer.Add(Record("account-A", 0));
        var third = Record("account-A", 2);
        var fourth = Record("account-A", 3);
        buffer.Add(fourth);
        buffer.Add(third);
        _clock.Advance(HoldTimeout + TimeSpan.FromMilliseconds(1));

        var released = buffer.ReleaseOverdue();
        var fifth = Record("account-A", 4);
        var afterwards = buffer.Add(fifth);

        Assert.Equal([third, fourth], released);
        Assert.Equal([fifth], afterwards);
        Assert.Equal(0, buffer.HeldCount);
    }

    private StreamOrderBuffer NewBuffer(IReadOnlyDictionary<string, long>? highestPublished = null) =>
        new(highestPublished ?? new Dictionary<string, long>(), HoldTimeout, _clock);

    private static RecordedEvent Record(string stream, long revision) =>
        new(stream, revision, revision, Guid.NewGuid(), "FundsDeposited", Encoding.UTF8.GetBytes($$"""{"amount":{{revision}}}"""), "{}"u8.ToArray(), DateTimeOffset.UnixEpoch);
}
