namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task ReadStream_ForwardsFromARevisionWithACount_ReturnsThatSliceInOrder()
    {
        var stream = NewStreamId();
        var events = NewEvents(10);
        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var slice = await ReadStreamAsync(stream, Direction.Forwards, from: 3, maxCount: 4);

        Assert.Equal([3L, 4L, 5L, 6L], slice.Select(e => e.Revision));
        Assert.Equal(IdsOf(events[3..7]), IdsOf(slice));
    }

    [Fact]
    public async Task ReadStream_BackwardsFromARevisionWithACount_ReturnsThatSliceNewestFirst()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(10));

        var slice = await ReadStreamAsync(stream, Direction.Backwards, from: 6, maxCount: 3);

        Assert.Equal([6L, 5L, 4L], slice.Select(e => e.Revision));
    }

    [Fact]
    public async Task ReadStream_BackwardsFromEnd_StartsAtTheLastEvent()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(5));

        var newest = await ReadStreamAsync(stream, Direction.Backwards, StreamRevision.End, maxCount: 2);
        var all = await ReadStreamAsync(stream, Direction.Backwards, StreamRevision.End);

        Assert.Equal([4L, 3L], newest.Select(e => e.Revision));
        Assert.Equal([4L, 3L, 2L, 1L, 0L], all.Select(e => e.Revision));
    }

    [Fact]
    public async Task ReadStream_BackwardsPastTheFirstEvent_StopsAtRevisionZero()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));

        var slice = await ReadStreamAsync(stream, Direction.Backwards, from: 1, maxCount: 10);

        Assert.Equal([1L, 0L], slice.Select(e => e.Revision));
    }

    [Fact]
    public async Task ReadStream_OfMissingStream_IsEmptyInBothDirections()
    {
        var stream = NewStreamId();

        var forwards = await ReadStreamAsync(stream);
        var backwards = await ReadStreamAsync(stream, Direction.Backwards, StreamRevision.End);

        Assert.Empty(forwards);
        Assert.Empty(backwards);
    }

    [Fact]
    public async Task ReadStream_ForwardsFromBeyondTheLastEvent_IsEmpty()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));

        var beyond = await ReadStreamAsync(stream, Direction.Forwards, from: 3);

        Assert.Empty(beyond);
    }

    [Fact]
    public async Task ReadStream_WithCountZero_IsEmpty()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));

        var none = await ReadStreamAsync(stream, maxCount: 0);

        Assert.Empty(none);
    }

    [Fact]
    public async Task ReadStream_OnlyReturnsEventsOfThatStream()
    {
        var stream = NewStreamId();
        var other = stream + "-other";
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        await AppendAsync(other, ExpectedRevision.NoStream, NewEvents(3));
        await AppendAsync(stream, ExpectedRevision.Exact(1), NewEvents(2));

        var stored = await ReadStreamAsync(stream);

        Assert.Equal([0L, 1L, 2L, 3L], stored.Select(e => e.Revision));
        Assert.All(stored, e => Assert.Equal(stream, e.StreamId));
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.True(pair.Second.Position > pair.First.Position));
    }

    [Fact]
    public async Task ReadStream_OfALongStream_ReturnsEveryEventInBothDirections()
    {
        var stream = NewStreamId();
        var events = NewEvents(1234);
        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var forwards = await ReadStreamAsync(stream);
        var backwards = await ReadStreamAsync(stream, Direction.Backwards, StreamRevision.End);

        Assert.Equal(IdsOf(events), IdsOf(forwards));
        Assert.Equal(IdsOf(events).Reverse(), IdsOf(backwards));
    }

    [Fact]
    public async Task GetLastRevision_OfMissingStream_IsNull()
    {
        var stream = NewStreamId();

        var last = await Store.GetLastRevisionAsync(stream, TestCancellation);

        Assert.Null(last);
    }

    [Fact]
    public async Task GetLastRevision_AfterAppends_IsTheRevisionOfTheLastEvent()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await AppendAsync(stream, ExpectedRevision.Exact(2), NewEvents(2));

        var last = await Store.GetLastRevisionAsync(stream, TestCancellation);

        Assert.Equal(4, last);
    }
}
