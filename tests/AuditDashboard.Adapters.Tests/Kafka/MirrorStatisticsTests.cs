using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Core.Mirror;
using Microsoft.Extensions.Time.Testing;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>What a mirror reports about itself, on a clock the test moves.</summary>
public sealed class MirrorStatisticsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Status_BeforeAnyRun_IsStartingWithNothingMirrored()
    {
        var statistics = new MirrorStatistics(_clock);

        var status = statistics.Status();

        Assert.Equal(MirrorState.Starting, status.State);
        Assert.Null(status.LastMirroredPosition);
        Assert.Equal(0, status.Mirrored);
    }

    [Fact]
    public void Status_WithEventsInFlight_PutsTheLastMirroredPositionAtTheLastSettledEventBeforeTheOldestOfThem()
    {
        var statistics = new MirrorStatistics(_clock);
        statistics.Running(checkpoint: 10);
        foreach (var position in new long[] { 11, 12, 13 })
            statistics.Pending(position);

        statistics.Done(11, parked: false, duplicate: false);
        statistics.Done(13, parked: false, duplicate: false);
        var whileTwelveIsOnItsWay = statistics.Status();
        statistics.Done(12, parked: true, duplicate: false);
        var afterwards = statistics.Status();

        Assert.Equal(11, whileTwelveIsOnItsWay.LastMirroredPosition);
        Assert.Equal(1, whileTwelveIsOnItsWay.InFlight);
        Assert.Equal(13, afterwards.LastMirroredPosition);
        Assert.Equal((2L, 1L, 0), (afterwards.Mirrored, afterwards.Parked, afterwards.InFlight));
    }

    [Fact]
    public void Status_OnSparsePositions_GivesOnlyPositionsOfSettledEvents_AndNeverGoesBackOnAReconnect()
    {
        // EventStoreDB's commit positions are log offsets: the position before an event's is not one a store accepts.
        var statistics = new MirrorStatistics(_clock);
        statistics.Running(checkpoint: 40);
        foreach (var position in new long[] { 100, 250, 400 })
            statistics.Pending(position);

        statistics.Done(250, parked: false, duplicate: false);
        var whileTheFirstIsOnItsWay = statistics.Status();
        statistics.Done(100, parked: false, duplicate: false);
        var afterTheFirst = statistics.Status();
        statistics.Running(checkpoint: 100);
        statistics.Pending(250);
        statistics.Pending(400);
        var afterAReconnect = statistics.Status();

        Assert.Equal(40, whileTheFirstIsOnItsWay.LastMirroredPosition);
        Assert.Equal(250, afterTheFirst.LastMirroredPosition);
        Assert.Equal(250, afterAReconnect.LastMirroredPosition);
    }

    [Fact]
    public void Status_WithABrokerErrorUnconfirmedForLongerThanTheGrace_SaysRetrying_AndRunningAgainOnceADeliveryIsConfirmed()
    {
        var statistics = new MirrorStatistics(_clock);
        statistics.Running(checkpoint: null);
        statistics.Trouble("Connection refused");

        _clock.Advance(MirrorStatistics.TroubleAfter);
        var withinTheGrace = statistics.Status();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var beyondIt = statistics.Status();
        statistics.Confirmed();
        var confirmed = statistics.Status();

        Assert.Equal(MirrorState.Running, withinTheGrace.State);
        Assert.Equal(MirrorState.Retrying, beyondIt.State);
        Assert.Equal("Connection refused", beyondIt.LastError);
        Assert.Equal(MirrorState.Running, confirmed.State);
    }

    [Fact]
    public void Status_OverTheLastSeconds_GivesTheRateOfConfirmedEvents_NotOfDuplicates()
    {
        var statistics = new MirrorStatistics(_clock);
        statistics.Running(checkpoint: null);
        statistics.Status();

        for (var position = 0L; position < 40; position++)
        {
            statistics.Pending(position);
            statistics.Done(position, parked: false, duplicate: position % 2 == 1);
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        var status = statistics.Status();

        Assert.Equal(10, status.EventsPerSecond, precision: 6);
        Assert.Equal((20L, 20L), (status.Mirrored, status.DuplicatesSkipped));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(2), status.LastMirroredAt);
    }

    [Fact]
    public void Failed_ThenStopped_SaysWhyItRetried_AndThatItStopped()
    {
        var statistics = new MirrorStatistics(_clock);
        statistics.Running(checkpoint: null);

        statistics.Failed(new InvalidOperationException("The mirror's pipeline stopped."));
        var failed = statistics.Status();
        statistics.Stopped();
        var stopped = statistics.Status();

        Assert.Equal(MirrorState.Retrying, failed.State);
        Assert.Equal("The mirror's pipeline stopped.", failed.LastError);
        Assert.Equal(_clock.GetUtcNow(), failed.LastErrorAt);
        Assert.Equal(MirrorState.Stopped, stopped.State);
    }
}
