namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// Persistent subscriptions (<see cref="IPersistentSubscriptions"/>), written against the port alone: every test uses a
/// group name and a stream prefix of its own, so a subclass may hand out stores that share a server.
/// </summary>
/// <remarks>
/// Only what the port promises is asserted: at-least-once delivery (an event may come again after a reconnection, and
/// is never assumed to come exactly once there), order only for first deliveries, positions only compared.
/// An adapter that also implements <see cref="IPersistentSubscriptions"/> runs this (which includes the whole core
/// <see cref="EventStoreContract"/>); one that does not runs the core contract alone.
/// </remarks>
public abstract class PersistentSubscriptionContract : EventStoreContract
{
    private const int PersistentTimeout = 30_000;

    /// <summary>This test's store as a persistent subscriptions store; fails the test clearly when the adapter is not one.</summary>
    protected IPersistentSubscriptions Persistent => Store as IPersistentSubscriptions
        ?? throw new InvalidOperationException(
            $"{Store.GetType().Name} does not implement {nameof(IPersistentSubscriptions)}: the persistent subscription contract cannot run against it.");

    /// <summary>
    /// Closes the store and opens it again on the same data, as a restarted process would. The default returns the same
    /// store (for a server the adapter only connects to); an embedded adapter disposes it and opens its file again.
    /// </summary>
    protected virtual Task<IEventStore> ReopenStoreAsync(IEventStore store, CancellationToken cancellationToken) => Task.FromResult(store);

    /// <summary>Replaces this test's store by <see cref="ReopenStoreAsync"/>'s; the new one is the one disposed after the test.</summary>
    protected async Task ReopenAsync(CancellationToken cancellationToken) => ReplaceStore(await ReopenStoreAsync(Store, cancellationToken));

    /// <summary>
    /// Whether a group's info reports the stream prefix it filters on. EventStoreDB's group info has no filter field, so
    /// its adapter reports a null prefix; the filter itself is applied all the same (the delivery tests prove it).
    /// </summary>
    protected virtual bool InfoReportsTheStreamPrefix => true;

    /// <summary>
    /// Whether a parked event keeps the retry count it had when it was parked. EventStoreDB's parked stream keeps a
    /// link to the event, the reason and the time, not the retry count, so its adapter reports 0.
    /// </summary>
    protected virtual bool ParkedEventsKeepTheRetryCount => true;

    /// <summary>
    /// Whether an event parked after its last retry keeps the consumer's last nack reason. EventStoreDB parks it with a
    /// reason of its own ("Reached retry count of N").
    /// </summary>
    protected virtual bool ParkedAfterRetriesKeepsTheNackReason => true;

    /// <summary>
    /// Whether a new group reports no checkpoint until something is acked. EventStoreDB checkpoints a filtered <c>$all</c>
    /// group as it passes events the filter leaves out, so its new groups may report one at once.
    /// </summary>
    protected virtual bool NewGroupsHaveNoCheckpoint => true;

    /// <summary>
    /// Whether replayed parked events stay in the parked list until they are acked. EventStoreDB empties the parked list
    /// as it sends them again; a replayed event nacked with park is parked anew either way.
    /// </summary>
    protected virtual bool ReplayedEventsStayParkedUntilAcked => true;

    /// <summary>
    /// Appends two events, parks the first ("bad") and acks the second with a consumer that then leaves; returns the events
    /// once the group shows one parked event, its checkpoint past both, and no consumer.
    /// </summary>
    private async Task<EventData[]> ParkTheFirstOfTwoAndLeaveAsync(string group, string prefix)
    {
        var events = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using (var consumer = await ConnectAsync(group))
        {
            var delivered = await consumer.TakeAsync(2);
            await consumer.NackAsync(NackAction.Park, "bad", delivered[0]);
            await consumer.AckAsync(delivered[1]);
            await WaitForInfoAsync(group, i => i.ParkedCount == 1 && i.CheckpointPosition >= delivered[1].Event.Position, "one parked event and the checkpoint past it");
        }

        await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        return events;
    }

    /// <summary>The position of the newest event in <c>$all</c> (0 when there is none).</summary>
    protected async Task<long> LastPositionAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in Store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, cancellationToken: cancellationToken))
            return e.Position;
        return 0;
    }

    /// <summary>The settings a group's info shows are the ones it was given, as far as the store reports them.</summary>
    protected void AssertSettings(PersistentSubscriptionSettings expected, PersistentSubscriptionSettings? actual) =>
        Assert.Equal(InfoReportsTheStreamPrefix ? expected : expected with { StreamPrefix = null }, actual);

    protected static string NewGroupName() => $"contract-group-{Guid.NewGuid():N}";

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentCreate_ThenGetInfo_ShowsTheSettingsNoCheckpointNothingParkedAndNoConsumer()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = NewGroupName();
        var settings = new PersistentSubscriptionSettings(NewPrefix(), StartAfter: null, MaxRetryCount: 3);

        await Persistent.CreateToAllAsync(group, settings, ct);
        var info = await Persistent.GetInfoToAllAsync(group, ct);

        Assert.NotNull(info);
        Assert.Equal(group, info.GroupName);
        AssertSettings(settings, info.Settings);
        if (NewGroupsHaveNoCheckpoint)
            Assert.Null(info.CheckpointPosition);
        else
            Assert.True(info.CheckpointPosition is null || info.CheckpointPosition <= await LastPositionAsync(ct), $"checkpoint {info.CheckpointPosition} beyond the end of $all");
        Assert.Equal(0, info.ParkedCount);
        Assert.Equal(0, info.ConnectionCount);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentCreate_WithAStartPosition_KeepsItInTheSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var head = await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(2));
        var group = NewGroupName();
        var settings = new PersistentSubscriptionSettings(prefix, head.Position, MaxRetryCount: 5);

        await Persistent.CreateToAllAsync(group, settings, ct);

        var info = await Persistent.GetInfoToAllAsync(group, ct);
        Assert.NotNull(info);
        AssertSettings(settings, info.Settings);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentCreate_OfAGroupThatExists_ThrowsExistsAndLeavesItAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = NewGroupName();
        var settings = new PersistentSubscriptionSettings(NewPrefix(), MaxRetryCount: 4);
        await Persistent.CreateToAllAsync(group, settings, ct);

        var error = await Assert.ThrowsAsync<PersistentSubscriptionExistsException>(
            () => Persistent.CreateToAllAsync(group, new PersistentSubscriptionSettings(NewPrefix(), MaxRetryCount: 9), ct));

        Assert.Equal(group, error.GroupName);
        AssertSettings(settings, (await Persistent.GetInfoToAllAsync(group, ct))?.Settings);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentGetInfo_OfAnUnknownGroup_IsNull()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await Persistent.GetInfoToAllAsync(NewGroupName(), ct));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentUpdate_ChangesTheSettingsAndKeepsThePosition()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix, maxRetryCount: 10);
        var events = NewEvents(3);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using (var consumer = await ConnectAsync(group))
        {
            var delivered = await consumer.TakeAsync(2);
            await consumer.AckAsync(delivered);
            await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[1].Event.Position, "a checkpoint at the second event");
        }

        var before = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        var updated = new PersistentSubscriptionSettings(prefix, StartAfter: null, MaxRetryCount: 1);
        await Persistent.UpdateToAllAsync(group, updated, ct);

        // A server restarts the group to apply new settings and reads its checkpoint back: give it a moment to.
        var info = await WaitForInfoAsync(group, i => i.CheckpointPosition == before.CheckpointPosition, "the checkpoint kept across the update");
        AssertSettings(updated, info.Settings);

        // The new consumer goes on after the kept position, with the new retry limit.
        await using var resumed = await ConnectAsync(group);
        var third = await resumed.NextAsync();
        Assert.Equal(events[2].EventId, third.Event.EventId);
        await resumed.NackAsync(NackAction.Retry, "boom", third);
        var retried = await resumed.NextAsync();
        Assert.Equal((events[2].EventId, 1), (retried.Event.EventId, retried.RetryCount));
        await resumed.NackAsync(NackAction.Retry, "boom", retried);
        await WaitForInfoAsync(group, i => i.ParkedCount == 1, "the event parked after one retry");
        await resumed.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentUpdate_OfAnUnknownGroup_ThrowsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = NewGroupName();

        var error = await Assert.ThrowsAsync<PersistentSubscriptionNotFoundException>(
            () => Persistent.UpdateToAllAsync(group, new PersistentSubscriptionSettings(NewPrefix()), ct));

        Assert.Equal(group, error.GroupName);
        Assert.Null(await Persistent.GetInfoToAllAsync(group, ct));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentDelete_RemovesTheGroup()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = await CreateGroupAsync(NewPrefix());

        await Persistent.DeleteToAllAsync(group, ct);

        Assert.Null(await Persistent.GetInfoToAllAsync(group, ct));
        await Assert.ThrowsAsync<PersistentSubscriptionNotFoundException>(() => Persistent.SubscribeToAllAsync(group, 10, ct));
        await Assert.ThrowsAsync<PersistentSubscriptionNotFoundException>(() => Persistent.DeleteToAllAsync(group, ct));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentDelete_OfAnUnknownGroup_ThrowsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = NewGroupName();

        var error = await Assert.ThrowsAsync<PersistentSubscriptionNotFoundException>(() => Persistent.DeleteToAllAsync(group, ct));

        Assert.Equal(group, error.GroupName);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentDelete_WhileConnected_DropsTheConsumerAndForgetsThePositionAndTheParkedEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(3);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using var consumer = await ConnectAsync(group);
        var delivered = await consumer.TakeAsync(3);
        await consumer.NackAsync(NackAction.Park, "bad", delivered[0]);
        await consumer.AckAsync(delivered[1..]);
        await WaitForInfoAsync(group, i => i.ParkedCount == 1 && i.CheckpointPosition >= delivered[2].Event.Position, "one parked event and the checkpoint at the last");
        var waiting = consumer.NextAsync();

        await Persistent.DeleteToAllAsync(group, ct);

        await Assert.ThrowsAsync<PersistentSubscriptionDroppedException>(() => waiting);
        Assert.Null(await Persistent.GetInfoToAllAsync(group, ct));

        // A group created again under the same name starts from scratch.
        await Persistent.CreateToAllAsync(group, new PersistentSubscriptionSettings(prefix), ct);
        var info = await Persistent.GetInfoToAllAsync(group, ct);
        Assert.NotNull(info);
        if (NewGroupsHaveNoCheckpoint)
            Assert.Null(info.CheckpointPosition);
        Assert.Equal(0, info.ParkedCount);
        Assert.Empty(await ReadParkedAsync(group));
        await using var fresh = await ConnectAsync(group);
        Assert.Equal(IdsOf(events), (await fresh.TakeAsync(3)).Select(e => e.Event.EventId));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentSubscribe_ToAnUnknownGroup_ThrowsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = NewGroupName();

        var error = await Assert.ThrowsAsync<PersistentSubscriptionNotFoundException>(() => Persistent.SubscribeToAllAsync(group, 10, ct));

        Assert.Equal(group, error.GroupName);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentSubscribe_DeliversOnlyThePrefixsEventsInCommitOrderWithRetryCountZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        await Store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(2), ct);
        await AppendAsync("other-" + prefix, ExpectedRevision.NoStream, NewEvents(2));
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "a", ExpectedRevision.Exact(1), NewEvent());
        var expected = await ReadAllAsync(prefix);
        await using var consumer = await ConnectAsync(group);

        var delivered = await consumer.TakeAsync(4);

        Assert.Equal(IdsOf(expected), delivered.Select(e => e.Event.EventId));
        Assert.Equal(expected.Select(e => e.Position), delivered.Select(e => e.Event.Position));
        Assert.Equal([prefix + "a", prefix + "a", prefix + "b", prefix + "a"], delivered.Select(e => e.Event.StreamId));
        Assert.Equal([0L, 1L, 0L, 2L], delivered.Select(e => e.Event.Revision));
        Assert.All(delivered, e => Assert.Equal(0, e.RetryCount));
        Assert.All(expected.Zip(delivered), pair =>
        {
            Assert.Equal(pair.First.EventType, pair.Second.Event.EventType);
            Assert.Equal(pair.First.Data.ToArray(), pair.Second.Event.Data.ToArray());
            Assert.Equal(pair.First.Metadata.ToArray(), pair.Second.Event.Metadata.ToArray());
        });
        await consumer.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentSubscribe_WithAStartPosition_DeliversOnlyLaterEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        await Store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(2), ct);
        var startAfter = await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvents(2));
        var later = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.Exact(1), later[0]);
        await AppendAsync(prefix + "c", ExpectedRevision.NoStream, later[1]);
        var group = await CreateGroupAsync(prefix, startAfter.Position);
        await using var consumer = await ConnectAsync(group);

        var delivered = await consumer.TakeAsync(2);

        Assert.Equal(IdsOf(later), delivered.Select(e => e.Event.EventId));
        Assert.All(delivered, e => Assert.True(e.Event.Position > startAfter.Position));
        await consumer.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentSubscribe_AfterCatchingUp_DeliversLiveEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var history = NewEvents(2);
        var live = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, history);
        await using var consumer = await ConnectAsync(group);
        var replayed = await consumer.TakeAsync(2);
        await consumer.AckAsync(replayed);
        await consumer.ExpectNothingAsync();

        await Store.AppendAsync("other-" + prefix, ExpectedRevision.NoStream, [NewEvent()], ct);
        await Store.AppendAsync(prefix + "b", ExpectedRevision.NoStream, [live[0]], ct);
        await Store.AppendAsync(prefix + "a", ExpectedRevision.Exact(1), [live[1]], ct);
        var appeared = await consumer.TakeAsync(2);

        Assert.Equal(IdsOf(history), replayed.Select(e => e.Event.EventId));
        Assert.Equal(IdsOf(live), appeared.Select(e => e.Event.EventId));
        Assert.All(appeared, e => Assert.Equal(0, e.RetryCount));
        await consumer.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentSubscribe_DeliversAtMostBufferSizeEventsBeforeAnAck()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(20);
        await Store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, events, ct);
        await using var consumer = await ConnectAsync(group, bufferSize: 5);

        var first = await consumer.TakeAsync(5);
        await consumer.ExpectNothingAsync();

        // One ack makes room for one event, not more.
        await consumer.AckAsync(first[0]);
        var sixth = await consumer.NextAsync();
        await consumer.ExpectNothingAsync();

        var delivered = new List<PersistentEvent>([.. first, sixth]);
        await consumer.AckAsync([.. first[1..], sixth]);
        while (delivered.Count < events.Length)
        {
            var batch = await consumer.TakeAsync(Math.Min(5, events.Length - delivered.Count));
            delivered.AddRange(batch);
            await consumer.AckAsync(batch);
        }

        Assert.Equal(IdsOf(events), delivered.Select(e => e.Event.EventId));
        await consumer.ExpectNothingAsync();
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[^1].Event.Position, "the checkpoint at the last event");
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentAck_AdvancesTheCheckpointUpToTheOldestUnackedEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(3));
        var consumer = await ConnectAsync(group);
        await using (consumer)
        {
            var delivered = await consumer.TakeAsync(3);
            await WaitForInfoAsync(group, i => i.ConnectionCount == 1, "one consumer connected");

            await consumer.AckAsync(delivered[0]);
            await WaitForInfoAsync(
                group,
                i => i.CheckpointPosition >= delivered[0].Event.Position && i.CheckpointPosition < delivered[1].Event.Position,
                "the checkpoint at the first event");

            // An ack past an unacked event does not move the checkpoint past it.
            await consumer.AckAsync(delivered[2]);
            var info = await Persistent.GetInfoToAllAsync(group, ct);
            Assert.NotNull(info);
            Assert.True(info.CheckpointPosition < delivered[1].Event.Position, $"The checkpoint passed an unacked event: {info}.");

            await consumer.AckAsync(delivered[1]);
            await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[2].Event.Position, "the checkpoint at the last event");
        }

        var after = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer once it is disposed");
        Assert.Equal((await ReadAllAsync(prefix))[^1].Position, after.CheckpointPosition);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentReconnect_ResumesAfterTheCheckpointAndDeliversTheUnackedEventsAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(5);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        List<PersistentEvent> delivered;
        await using (var consumer = await ConnectAsync(group))
        {
            delivered = await consumer.TakeAsync(5);
            await consumer.AckAsync(delivered[0], delivered[1], delivered[3]);
            await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[1].Event.Position, "the checkpoint at the second event");
        }

        var saved = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        Assert.InRange(saved.CheckpointPosition ?? -1, delivered[1].Event.Position, delivered[2].Event.Position - 1);

        await using var reconnected = await ConnectAsync(group);
        var again = await reconnected.CollectAsync(atLeast: 2);
        var ids = again.Select(e => e.Event.EventId).ToList();

        // At least once: what was not acked comes again; what the saved checkpoint covers does not.
        Assert.Contains(events[2].EventId, ids);
        Assert.Contains(events[4].EventId, ids);
        Assert.DoesNotContain(events[0].EventId, ids);
        Assert.DoesNotContain(events[1].EventId, ids);
        Assert.Subset(IdsOf(events[2..]).ToHashSet(), ids.ToHashSet());

        await reconnected.AckAsync(again);
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[4].Event.Position, "the checkpoint at the last event");
        var live = NewEvent();
        await Store.AppendAsync(prefix + "a", ExpectedRevision.Exact(4), [live], ct);
        Assert.Equal(live.EventId, (await reconnected.NextAsync()).Event.EventId);
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentNackRetry_DeliversAgainWithARisingRetryCountThenParksBeyondTheMaximumWhileLaterEventsFlow()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix, maxRetryCount: 2);
        var events = NewEvents(3);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using var consumer = await ConnectAsync(group);

        var retryCounts = new List<int>();
        var handled = new List<PersistentEvent>();
        for (var i = 0; i < 20 && (retryCounts.Count < 3 || handled.Count < 2); i++)
        {
            var next = await consumer.NextAsync();
            if (next.Event.EventId == events[0].EventId)
            {
                retryCounts.Add(next.RetryCount);
                await consumer.NackAsync(NackAction.Retry, "boom", next);
            }
            else
            {
                handled.Add(next);
                await consumer.AckAsync(next);
            }
        }

        Assert.Equal([0, 1, 2], retryCounts);
        Assert.Equal(IdsOf(events[1..]), handled.Select(e => e.Event.EventId));
        Assert.All(handled, e => Assert.Equal(0, e.RetryCount));
        await WaitForInfoAsync(group, i => i.ParkedCount == 1, "the event parked after its last retry");
        var parked = Assert.Single(await ReadParkedAsync(group));
        Assert.Equal(events[0].EventId, parked.Event.EventId);
        if (ParkedAfterRetriesKeepsTheNackReason)
            Assert.Contains("boom", parked.Reason, StringComparison.Ordinal);
        else
            Assert.False(string.IsNullOrWhiteSpace(parked.Reason));
        if (ParkedEventsKeepTheRetryCount)
            Assert.Equal(2, parked.RetryCount);

        // Parked, it no longer holds the checkpoint back, and is not delivered again.
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= handled[^1].Event.Position, "the checkpoint past the parked event");
        await consumer.ExpectNothingAsync();
        var live = NewEvent();
        await Store.AppendAsync(prefix + "a", ExpectedRevision.Exact(2), [live], ct);
        var appeared = await consumer.NextAsync();
        Assert.Equal((live.EventId, 0), (appeared.Event.EventId, appeared.RetryCount));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentNackPark_ParksTheEventAtOnceWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix, maxRetryCount: 5);
        var events = NewEvents(2);
        await Store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, events, ct);
        var before = DateTimeOffset.UtcNow;
        await using var consumer = await ConnectAsync(group);
        var delivered = await consumer.TakeAsync(2);

        await consumer.NackAsync(NackAction.Park, "bad data", delivered[0]);
        await consumer.AckAsync(delivered[1]);

        await WaitForInfoAsync(group, i => i.ParkedCount == 1, "one parked event");
        var parked = Assert.Single(await ReadParkedAsync(group));
        Assert.Equal(events[0].EventId, parked.Event.EventId);
        Assert.Equal(delivered[0].Event.Position, parked.Event.Position);
        Assert.Equal(events[0].Data.ToArray(), parked.Event.Data.ToArray());
        Assert.Contains("bad data", parked.Reason, StringComparison.Ordinal);
        Assert.InRange(parked.ParkedAt, before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[1].Event.Position, "the checkpoint past the parked event");
        await consumer.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentNackSkip_DropsTheEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        await Store.AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(2), ct);
        await using (var consumer = await ConnectAsync(group))
        {
            var delivered = await consumer.TakeAsync(2);

            await consumer.NackAsync(NackAction.Skip, "not mine", delivered[0]);
            await consumer.AckAsync(delivered[1]);

            await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[1].Event.Position, "the checkpoint past the skipped event");
            await consumer.ExpectNothingAsync();
        }

        var info = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        Assert.Equal(0, info.ParkedCount);
        Assert.Empty(await ReadParkedAsync(group));
        await using var reconnected = await ConnectAsync(group);
        await reconnected.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentReplayParked_DeliversTheParkedEventsAgainAndAnAckRemovesThemFromTheParkedList()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(3);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using var consumer = await ConnectAsync(group);
        var delivered = await consumer.TakeAsync(3);
        await consumer.NackAsync(NackAction.Park, "first", delivered[0]);
        await consumer.NackAsync(NackAction.Park, "first", delivered[1]);
        await consumer.AckAsync(delivered[2]);
        await WaitForInfoAsync(group, i => i.ParkedCount == 2, "two parked events");
        Assert.Equal(IdsOf(events[..2]), (await ReadParkedAsync(group)).Select(p => p.Event.EventId));
        await consumer.ExpectNothingAsync();

        await Persistent.ReplayParkedAsync(group, ct);
        var replayed = await consumer.TakeAsync(2);

        Assert.Equal(IdsOf(events[..2]).Order(), replayed.Select(e => e.Event.EventId).Order());
        await consumer.AckAsync(replayed.Single(e => e.Event.EventId == events[0].EventId));
        if (ReplayedEventsStayParkedUntilAcked)
        {
            await WaitForInfoAsync(group, i => i.ParkedCount == 1, "one event left parked");
            Assert.Equal(events[1].EventId, Assert.Single(await ReadParkedAsync(group)).Event.EventId);
        }

        await consumer.AckAsync(replayed.Single(e => e.Event.EventId == events[1].EventId));
        await WaitForInfoAsync(group, i => i.ParkedCount == 0, "nothing parked");
        Assert.Empty(await ReadParkedAsync(group));
        await consumer.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentReplayParked_NackParkOfAReplayedEventParksItAgainWithTheNewReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using var consumer = await ConnectAsync(group);
        var delivered = await consumer.TakeAsync(2);
        await consumer.NackAsync(NackAction.Park, "first", delivered[0]);
        await consumer.AckAsync(delivered[1]);
        await WaitForInfoAsync(group, i => i.ParkedCount == 1, "one parked event");

        await Persistent.ReplayParkedAsync(group, ct);
        var replayed = await consumer.NextAsync();
        Assert.Equal(events[0].EventId, replayed.Event.EventId);
        await consumer.NackAsync(NackAction.Park, "second", replayed);

        var parked = await WaitForParkedAsync(group, p => p.Count == 1 && p[0].Reason.Contains("second", StringComparison.Ordinal), "the event parked again with the new reason");
        Assert.Equal(events[0].EventId, parked[0].Event.EventId);
        Assert.Equal(1, (await Persistent.GetInfoToAllAsync(group, ct))?.ParkedCount);
        await consumer.ExpectNothingAsync();

        // Parked again, it can be replayed again.
        await Persistent.ReplayParkedAsync(group, ct);
        var again = await consumer.NextAsync();
        Assert.Equal(events[0].EventId, again.Event.EventId);
        await consumer.AckAsync(again);
        await WaitForInfoAsync(group, i => i.ParkedCount == 0, "nothing parked");
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentReplayParked_WithNoConsumer_DeliversThemToTheNextConsumer()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = await ParkTheFirstOfTwoAndLeaveAsync(group, prefix);
        await Persistent.ReplayParkedAsync(group, ct);
        await using var next = await ConnectAsync(group);
        var replayed = await next.NextAsync();

        Assert.Equal(events[0].EventId, replayed.Event.EventId);
        await next.AckAsync(replayed);
        await WaitForInfoAsync(group, i => i.ParkedCount == 0, "nothing parked");
        await next.ExpectNothingAsync();
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentUpdate_WhileConnected_DropsTheConsumerAndKeepsThePosition()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using var consumer = await ConnectAsync(group);
        var delivered = await consumer.TakeAsync(2);
        await consumer.AckAsync(delivered[0]);
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= delivered[0].Event.Position, "the checkpoint at the first event");
        var waiting = consumer.NextAsync();

        var updated = new PersistentSubscriptionSettings(prefix, MaxRetryCount: 3);
        await Persistent.UpdateToAllAsync(group, updated, ct);

        await Assert.ThrowsAsync<PersistentSubscriptionDroppedException>(() => waiting);
        var info = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        AssertSettings(updated, info.Settings);
        Assert.InRange(info.CheckpointPosition ?? -1, delivered[0].Event.Position, delivered[1].Event.Position - 1);

        await using var reconnected = await ConnectAsync(group);
        var again = await reconnected.CollectAsync(atLeast: 1);
        Assert.Equal([events[1].EventId], again.Select(e => e.Event.EventId));
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentParkedEvent_IsNotLostAcrossAReconnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = await ParkTheFirstOfTwoAndLeaveAsync(group, prefix);
        await using var reconnected = await ConnectAsync(group);
        await reconnected.ExpectNothingAsync();
        var parked = Assert.Single(await ReadParkedAsync(group));
        Assert.Equal(events[0].EventId, parked.Event.EventId);
        Assert.Contains("bad", parked.Reason, StringComparison.Ordinal);

        await Persistent.ReplayParkedAsync(group, ct);
        var replayed = await reconnected.NextAsync();
        Assert.Equal(events[0].EventId, replayed.Event.EventId);
        await reconnected.AckAsync(replayed);
        await WaitForInfoAsync(group, i => i.ParkedCount == 0, "nothing parked");
    }

    /// <summary>
    /// An event parked while an earlier one was still unacked lies after the saved checkpoint: the next consumer gets it
    /// both from the replay and from the group's position. Acking it (every delivery) must still take it off the parked list.
    /// </summary>
    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentReplayParked_OfAnEventAlsoDeliveredAgainAfterAReconnection_LeavesTheParkedListOnceAcked()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        await using (var consumer = await ConnectAsync(group))
        {
            var delivered = await consumer.TakeAsync(2);
            await consumer.NackAsync(NackAction.Park, "bad", delivered[1]);
            await WaitForInfoAsync(group, i => i.ParkedCount == 1, "one parked event");
        }

        await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        await Persistent.ReplayParkedAsync(group, ct);
        await using var reconnected = await ConnectAsync(group);
        var again = await reconnected.CollectAsync(atLeast: 2);
        Assert.Equal(IdsOf(events).Order(), again.Select(e => e.Event.EventId).Distinct().Order());

        await reconnected.AckAsync(again);

        var deliveries = string.Join(", ", again.Select(e => $"event {Array.IndexOf([.. IdsOf(events)], e.Event.EventId) + 1} (retry count {e.RetryCount})"));
        await WaitForInfoAsync(group, i => i.ParkedCount == 0, $"nothing parked once every delivery was acked (deliveries: {deliveries})");
        await WaitForInfoAsync(group, i => i.CheckpointPosition >= again.Max(e => e.Event.Position), "the checkpoint at the last event");
    }

    /// <summary>
    /// A consumer that stops reading (leaves its <c>await foreach</c>) right after a replayed event, which was delivered
    /// while the consumer waited for new events, must be able to end its enumeration.
    /// </summary>
    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentRead_StoppedRightAfterAReplayedEvent_EndsCleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var group = await CreateGroupAsync(prefix);
        var events = await ParkTheFirstOfTwoAndLeaveAsync(group, prefix);
        await using var subscription = await Persistent.SubscribeToAllAsync(group, 10, ct);
        var reader = subscription.ReadAsync(ct).GetAsyncEnumerator(ct);
        var read = reader.MoveNextAsync().AsTask();
        Assert.NotSame(read, await Task.WhenAny(read, Task.Delay(PersistentConsumer.Quiet, ct)));

        await Persistent.ReplayParkedAsync(group, ct);
        Assert.True(await read.WaitAsync(Patience, ct));
        Assert.Equal(events[0].EventId, reader.Current.Event.EventId);

        // What leaving an await foreach does.
        var disposing = await Record.ExceptionAsync(async () => await reader.DisposeAsync());
        Assert.True(disposing is null, $"Ending the enumeration threw {disposing}");
    }

    [Fact(Timeout = PersistentTimeout)]
    public async Task PersistentGroup_SurvivesAStoreRestartWithItsCheckpointAndParkedEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = NewPrefix();
        var settings = new PersistentSubscriptionSettings(prefix, MaxRetryCount: 4);
        var group = NewGroupName();
        await Persistent.CreateToAllAsync(group, settings, ct);
        var events = NewEvents(4);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, events);
        List<PersistentEvent> delivered;
        await using (var consumer = await ConnectAsync(group))
        {
            delivered = await consumer.TakeAsync(4);
            await consumer.AckAsync(delivered[0], delivered[1]);
            await consumer.NackAsync(NackAction.Park, "bad", delivered[2]);
            await WaitForInfoAsync(group, i => i.ParkedCount == 1 && i.CheckpointPosition >= delivered[2].Event.Position, "one parked event and the checkpoint past it");
        }

        var before = await WaitForInfoAsync(group, i => i.ConnectionCount == 0, "no consumer");
        Assert.InRange(before.CheckpointPosition ?? -1, delivered[2].Event.Position, delivered[3].Event.Position - 1);

        await ReopenAsync(ct);

        var after = await Persistent.GetInfoToAllAsync(group, ct);
        Assert.NotNull(after);
        AssertSettings(settings, after.Settings);
        Assert.Equal(before.CheckpointPosition, after.CheckpointPosition);
        Assert.Equal(1, after.ParkedCount);
        var parked = Assert.Single(await ReadParkedAsync(group));
        Assert.Equal(events[2].EventId, parked.Event.EventId);
        Assert.Contains("bad", parked.Reason, StringComparison.Ordinal);

        await using var resumed = await ConnectAsync(group);
        var again = await resumed.CollectAsync(atLeast: 1);
        Assert.Equal([events[3].EventId], again.Select(e => e.Event.EventId));
        await resumed.AckAsync(again);
        var live = NewEvent();
        await Store.AppendAsync(prefix + "a", ExpectedRevision.Exact(3), [live], ct);
        Assert.Equal(live.EventId, (await resumed.NextAsync()).Event.EventId);
    }

    private async Task<string> CreateGroupAsync(string prefix, long? startAfter = null, int maxRetryCount = 10)
    {
        var group = NewGroupName();
        await Persistent.CreateToAllAsync(group, new PersistentSubscriptionSettings(prefix, startAfter, maxRetryCount), TestCancellation);
        return group;
    }

    private async Task<PersistentConsumer> ConnectAsync(string group, int bufferSize = 10) =>
        new(await Persistent.SubscribeToAllAsync(group, bufferSize, TestCancellation), TestCancellation);

    private Task<List<ParkedEvent>> ReadParkedAsync(string group) =>
        Persistent.ReadParkedAsync(group, 1000, TestCancellation).ToListAsync(TestCancellation).AsTask();

    /// <summary>Polls the group's info until <paramref name="condition"/> holds; fails after <see cref="Patience"/>.</summary>
    private async Task<PersistentSubscriptionInfo> WaitForInfoAsync(string group, Func<PersistentSubscriptionInfo, bool> condition, string what)
    {
        PersistentSubscriptionInfo? info = null;
        await Eventually.UntilAsync(
            async ct => (info = await Persistent.GetInfoToAllAsync(group, ct)) is not null && condition(info),
            what,
            Patience,
            TestCancellation,
            () => $"the group's info is {info?.ToString() ?? "null (no such group)"}");
        return info!;
    }

    /// <summary>Polls the group's parked list until <paramref name="condition"/> holds; fails after <see cref="Patience"/>.</summary>
    private async Task<List<ParkedEvent>> WaitForParkedAsync(string group, Func<List<ParkedEvent>, bool> condition, string what)
    {
        List<ParkedEvent> parked = [];
        await Eventually.UntilAsync(
            async _ => condition(parked = await ReadParkedAsync(group)),
            what,
            Patience,
            TestCancellation,
            () => $"parked: [{string.Join(", ", parked.Select(p => $"{p.Event.EventId} '{p.Reason}'"))}]");
        return parked;
    }
}

/// <summary>
/// A persistent subscription consumer for tests. Every read is bounded; a read that found nothing in time stays pending
/// and is taken up by the next one, so a test can prove that nothing comes and then let it come. Disposing closes the
/// connection first, which ends a pending read, then the enumeration.
/// </summary>
internal sealed class PersistentConsumer : IAsyncDisposable
{
    /// <summary>How long a read waits for an event that should come.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>How long a read waits to conclude that nothing (more) comes.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly IAsyncEnumerator<PersistentEvent> _events;
    private readonly CancellationToken _cancellation;
    private Task<bool>? _pending;
    private bool _disposed;

    public PersistentConsumer(IPersistentSubscription subscription, CancellationToken cancellation)
    {
        Subscription = subscription;
        _cancellation = cancellation;
        _events = subscription.ReadAsync(cancellation).GetAsyncEnumerator(cancellation);
    }

    public IPersistentSubscription Subscription { get; }

    /// <summary>The next event, or null when none came within <paramref name="wait"/> (the read stays pending).</summary>
    public async Task<PersistentEvent?> TryNextAsync(TimeSpan wait)
    {
        _pending ??= _events.MoveNextAsync().AsTask();
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(_cancellation))
        {
            var pending = _pending;
            if (await Task.WhenAny(pending, Task.Delay(wait, timer.Token)) != pending)
            {
                return null;
            }

            await timer.CancelAsync();
        }

        var read = _pending;
        _pending = null;
        Assert.True(await read, "The persistent subscription ended instead of delivering the next event.");
        return _events.Current;
    }

    public async Task<PersistentEvent> NextAsync()
    {
        var next = await TryNextAsync(Patience);
        if (next is null)
        {
            Assert.Fail($"No event was delivered within {Patience}.");
        }

        return next;
    }

    public async Task<List<PersistentEvent>> TakeAsync(int count)
    {
        var taken = new List<PersistentEvent>(count);
        while (taken.Count < count)
        {
            taken.Add(await NextAsync());
        }

        return taken;
    }

    /// <summary>At least <paramref name="atLeast"/> events, then whatever else comes before a quiet spell (at most 100).</summary>
    public async Task<List<PersistentEvent>> CollectAsync(int atLeast)
    {
        var collected = await TakeAsync(atLeast);
        while (collected.Count < 100 && await TryNextAsync(Quiet) is { } more)
        {
            collected.Add(more);
        }

        return collected;
    }

    public async Task ExpectNothingAsync()
    {
        var next = await TryNextAsync(Quiet);
        Assert.True(next is null, $"Expected no delivery, got {next?.Event.EventId} of '{next?.Event.StreamId}' (retry count {next?.RetryCount}).");
    }

    public Task AckAsync(params IEnumerable<PersistentEvent> events) =>
        Subscription.AckAsync([.. events.Select(e => e.Event.EventId)], _cancellation);

    public Task NackAsync(NackAction action, string reason, params IEnumerable<PersistentEvent> events) =>
        Subscription.NackAsync(action, reason, [.. events.Select(e => e.Event.EventId)], _cancellation);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Subscription.DisposeAsync();
        if (_pending is { } pending)
        {
            _pending = null;
            try
            {
                await pending.WaitAsync(Patience, CancellationToken.None);
            }
            catch (Exception e) when (e is PersistentSubscriptionDroppedException or OperationCanceledException)
            {
                // Closing the connection ends a pending read, with Dropped or quietly.
            }
            catch (TimeoutException)
            {
                Assert.Fail($"A pending read did not end within {Patience} of disposing its subscription.");
            }
        }

        await _events.DisposeAsync();
    }
}
