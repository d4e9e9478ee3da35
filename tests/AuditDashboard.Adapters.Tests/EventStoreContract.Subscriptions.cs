namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    private const int SubscriptionTimeout = 30_000;

    // A writer of 2,000 events in about 1,000 appends (round trips over gRPC on EventStoreDB) on a busy 2-core machine: a
    // bound that catches a hang, well inside the test's own timeout, not a speed target.
    private static readonly TimeSpan WriterPatience = TimeSpan.FromSeconds(25);

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToStream_DeliversHistoryThenCaughtUpThenLiveEvents()
    {
        var stream = NewStreamId();
        var history = NewEvents(3);
        var live = NewEvents(2);
        await AppendAsync(stream, ExpectedRevision.NoStream, history);
        using var patience = WithinPatience(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToStreamAsync(stream, null, patience.Token).GetAsyncEnumerator(patience.Token);

        var replayed = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription), await NextEventAsync(subscription) };
        await NextIsCaughtUpAsync(subscription);
        await AppendAsync(stream, ExpectedRevision.Exact(2), live);
        var appeared = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription) };

        Assert.Equal(IdsOf(history), IdsOf(replayed));
        Assert.Equal(IdsOf(live), IdsOf(appeared));
        Assert.Equal([0L, 1L, 2L, 3L, 4L], replayed.Concat(appeared).Select(e => e.Revision));
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToStream_OfMissingStream_IsCaughtUpAtOnceThenDeliversItsFirstEvent()
    {
        var stream = NewStreamId();
        var first = NewEvent();
        using var patience = WithinPatience(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToStreamAsync(stream, null, patience.Token).GetAsyncEnumerator(patience.Token);

        await NextIsCaughtUpAsync(subscription);
        await AppendAsync(NewStreamId(), ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(stream, ExpectedRevision.NoStream, first);
        var appeared = await NextEventAsync(subscription);

        Assert.Equal(first.EventId, appeared.EventId);
        Assert.Equal(0, appeared.Revision);
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToStream_AfterARevision_DeliversOnlyLaterEvents()
    {
        var stream = NewStreamId();
        var events = NewEvents(5);
        var live = NewEvent();
        await AppendAsync(stream, ExpectedRevision.NoStream, events);
        using var patience = WithinPatience(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToStreamAsync(stream, afterRevision: 2, patience.Token).GetAsyncEnumerator(patience.Token);

        var replayed = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription) };
        await NextIsCaughtUpAsync(subscription);
        await AppendAsync(stream, ExpectedRevision.Exact(4), live);
        var appeared = await NextEventAsync(subscription);

        Assert.Equal(IdsOf(events[3..]), IdsOf(replayed));
        Assert.Equal(live.EventId, appeared.EventId);
        Assert.Equal(5, appeared.Revision);
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToStream_WhileAWriterAppends_SeesEveryEventExactlyOnceInOrder()
    {
        const int total = 2000;
        var stream = NewStreamId();
        using var patience = WithinPatience(TestContext.Current.CancellationToken, WriterPatience);
        var writer = Task.Run(() => WriteContinuouslyAsync([stream], total, patience.Token), patience.Token);
        await WhenStreamHasAsync(stream, 20, patience.Token);

        var (delivered, caughtUp) = await CollectAsync(Store.SubscribeToStreamAsync(stream, null, patience.Token), total);
        await writer;

        Assert.Equal(1, caughtUp);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), delivered.Select(e => e.Revision));
        Assert.Equal(IdsOf(await ReadStreamAsync(stream)), IdsOf(delivered));
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToAll_WithAPrefix_DeliversHistoryThenCaughtUpThenLiveEventsOfMatchingStreams()
    {
        var prefix = NewPrefix();
        var history = NewEvents(2);
        var live = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, history[0]);
        await AppendAsync("other-" + prefix, ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, history[1]);
        using var patience = WithinPatience(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToAllAsync(null, prefix, patience.Token).GetAsyncEnumerator(patience.Token);

        var replayed = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription) };
        await NextIsCaughtUpAsync(subscription);
        await AppendAsync("other-" + prefix, ExpectedRevision.Any, NewEvent());
        await AppendAsync(prefix + "a", ExpectedRevision.Exact(0), live[0]);
        await AppendAsync(prefix + "c", ExpectedRevision.NoStream, live[1]);
        var appeared = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription) };

        Assert.Equal(IdsOf(history), IdsOf(replayed));
        Assert.Equal(IdsOf(live), IdsOf(appeared));
        Assert.Equal([prefix + "a", prefix + "c"], appeared.Select(e => e.StreamId));
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToAll_AfterAPosition_DeliversOnlyLaterEvents()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(2));
        var resumeAfter = await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvents(2));
        var later = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.Exact(1), later);
        var live = NewEvent();
        using var patience = WithinPatience(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToAllAsync(resumeAfter.Position, prefix, patience.Token).GetAsyncEnumerator(patience.Token);

        var replayed = new[] { await NextEventAsync(subscription), await NextEventAsync(subscription) };
        await NextIsCaughtUpAsync(subscription);
        await AppendAsync(prefix + "b", ExpectedRevision.Exact(1), live);
        var appeared = await NextEventAsync(subscription);

        Assert.Equal(IdsOf(later), IdsOf(replayed));
        Assert.All(replayed, e => Assert.True(e.Position > resumeAfter.Position));
        Assert.Equal(live.EventId, appeared.EventId);
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToAll_WhileAWriterAppendsToSeveralStreams_SeesEveryMatchingEventExactlyOnceInOrder()
    {
        const int total = 2000;
        var prefix = NewPrefix();
        string[] streams = [prefix + "a", "unmatched-" + prefix, prefix + "b", prefix + "c"];
        using var patience = WithinPatience(TestContext.Current.CancellationToken, WriterPatience);
        var writer = Task.Run(() => WriteContinuouslyAsync(streams, total, patience.Token), patience.Token);
        await WhenStreamHasAsync(streams[0], 20, patience.Token);

        var matching = Batches(streams.Length, total).Where(b => b.Stream != 1).Sum(b => b.Count);
        var (delivered, caughtUp) = await CollectAsync(Store.SubscribeToAllAsync(null, prefix, patience.Token), matching);
        await writer;

        Assert.Equal(1, caughtUp);
        Assert.Equal(IdsOf(await ReadAllAsync(prefix)), IdsOf(delivered));
        Assert.All(delivered.Zip(delivered.Skip(1)), pair => Assert.True(pair.Second.Position > pair.First.Position));
        Assert.All(
            delivered.GroupBy(e => e.StreamId),
            stream => Assert.Equal(Enumerable.Range(0, stream.Count()).Select(i => (long)i), stream.Select(e => e.Revision)));
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task Subscribe_WhenCancelledWhileWaitingForLiveEvents_EndsTheEnumerationQuietly()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToStreamAsync(stream, null, cancellation.Token).GetAsyncEnumerator(TestCancellation);
        await NextEventAsync(subscription);
        await NextIsCaughtUpAsync(subscription);
        var waiting = subscription.MoveNextAsync().AsTask();

        await cancellation.CancelAsync();

        Assert.False(await waiting.WaitAsync(Patience, TestCancellation));
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToStream_WhenCancelledDuringCatchUp_EndsTheEnumerationQuietly()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(300));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var subscription = Store.SubscribeToStreamAsync(stream, null, cancellation.Token).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        for (var i = 0; i < 10; i++)
        {
            await NextEventAsync(subscription);
        }

        await cancellation.CancelAsync();

        var remaining = 0;
        while (await subscription.MoveNextAsync().AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken))
        {
            remaining++;
        }

        Assert.True(remaining < 290, $"The subscription went on for {remaining} more messages after it was cancelled.");
    }

    [Fact(Timeout = SubscriptionTimeout)]
    public async Task SubscribeToAll_WhenCancelledBeforeTheFirstMessage_EndsTheEnumerationQuietly()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(3));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await cancellation.CancelAsync();

        var messages = await Store.SubscribeToAllAsync(null, prefix, cancellation.Token)
            .ToListAsync(TestCancellation)
            .AsTask()
            .WaitAsync(Patience, TestCancellation);

        Assert.Empty(messages);
    }

    /// <summary>Appends <paramref name="total"/> events round-robin to <paramref name="streams"/> in batches of 1 to 3.</summary>
    private async Task WriteContinuouslyAsync(string[] streams, int total, CancellationToken cancellationToken)
    {
        var last = new long?[streams.Length];
        foreach (var (s, count) in Batches(streams.Length, total))
        {
            var result = await Store.AppendAsync(streams[s], ExpectedRevision.Of(last[s]), NewEvents(count), cancellationToken);
            last[s] = result.NextExpectedRevision;
        }
    }

    private static IEnumerable<(int Stream, int Count)> Batches(int streams, int total)
    {
        var written = 0;
        for (var i = 0; written < total; i++)
        {
            var count = Math.Min(1 + (i % 3), total - written);
            yield return (i % streams, count);
            written += count;
        }
    }

    private async Task WhenStreamHasAsync(string stream, long events, CancellationToken cancellationToken)
    {
        while ((await Store.GetLastRevisionAsync(stream, cancellationToken) ?? -1) + 1 < events)
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>Consumes a subscription until <paramref name="events"/> events and a CaughtUp have arrived, or it ends.</summary>
    private static async Task<(List<RecordedEvent> Events, int CaughtUp)> CollectAsync(IAsyncEnumerable<SubscriptionMessage> subscription, int events)
    {
        var delivered = new List<RecordedEvent>(events);
        var caughtUp = 0;
        await foreach (var message in subscription)
        {
            switch (message)
            {
                case SubscriptionMessage.EventAppeared appeared:
                    delivered.Add(appeared.Record);
                    break;
                case SubscriptionMessage.CaughtUp:
                    caughtUp++;
                    break;
            }

            if (delivered.Count >= events && caughtUp > 0)
            {
                break;
            }
        }

        return (delivered, caughtUp);
    }
}
