namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Append_SameEventIdsAgainWithExactRevision_WritesOnceAndReturnsTheSameResult()
    {
        var stream = NewStreamId();
        var start = await AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        var events = NewEvents(3);
        var first = await AppendAsync(stream, ExpectedRevision.Exact(start.NextExpectedRevision), events);

        var repeat = await AppendAsync(stream, ExpectedRevision.Exact(start.NextExpectedRevision), events);

        Assert.Equal(first, repeat);
        Assert.Equal(4, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_SameEventIdsAgainWithNoStream_WritesOnceAndReturnsTheSameResult()
    {
        var stream = NewStreamId();
        var events = NewEvents(2);
        var first = await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var repeat = await AppendAsync(stream, ExpectedRevision.NoStream, events);

        Assert.Equal(first, repeat);
        Assert.Equal(IdsOf(events), IdsOf(await ReadStreamAsync(stream)));
    }

    [Fact]
    public async Task Append_SameEventIdsAgainWithAny_WritesOnceAndReturnsTheSameResult()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.Any, NewEvent());
        var events = NewEvents(2);
        var first = await AppendAsync(stream, ExpectedRevision.Any, events);

        var repeat = await AppendAsync(stream, ExpectedRevision.Any, events);

        Assert.Equal(first, repeat);
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_SameEventIdsAgainWithAnyAfterLaterEvents_ReturnsTheEarlierResult()
    {
        var stream = NewStreamId();
        var events = NewEvents(2);
        var first = await AppendAsync(stream, ExpectedRevision.Any, events);
        await AppendAsync(stream, ExpectedRevision.Any, NewEvents(3));

        var repeat = await AppendAsync(stream, ExpectedRevision.Any, events);

        Assert.Equal(first, repeat);
        Assert.Equal(5, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_SameEventIdsAgainWithNoStreamAfterLaterEvents_ReturnsTheEarlierResult()
    {
        var stream = NewStreamId();
        var events = NewEvents(2);
        var first = await AppendAsync(stream, ExpectedRevision.NoStream, events);
        await AppendAsync(stream, ExpectedRevision.Exact(1), NewEvent());

        var repeat = await AppendAsync(stream, ExpectedRevision.NoStream, events);

        Assert.Equal(first, repeat);
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_SameEventIdsAgainWithTheSameExactRevisionAfterLaterEvents_ReturnsTheEarlierResult()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        var events = NewEvents(2);
        var first = await AppendAsync(stream, ExpectedRevision.Exact(0), events);
        await AppendAsync(stream, ExpectedRevision.Exact(2), NewEvents(2));

        var repeat = await AppendAsync(stream, ExpectedRevision.Exact(0), events);

        Assert.Equal(first, repeat);
        Assert.Equal(5, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_BatchRepeatingOnlyTheStartOfAnEarlierAppend_ThrowsConflictAndWritesNothing()
    {
        var stream = NewStreamId();
        var events = NewEvents(2);
        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.NoStream, [.. events, NewEvent()]));

        Assert.Equal(1, conflict.ActualRevision);
        Assert.Equal(IdsOf(events), IdsOf(await ReadStreamAsync(stream)));
    }

    [Fact]
    public async Task Append_BatchWhoseIdsFollowDifferentlyThanStored_ThrowsConflictAndWritesNothing()
    {
        var stream = NewStreamId();
        var events = NewEvents(3);
        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.NoStream, events[0], events[2]));

        Assert.Equal(2, conflict.ActualRevision);
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_SameEventIdsAtTheNextRevision_IsRefusedOrWrittenAgainAsTheStoreDecides()
    {
        var stream = NewStreamId();
        var events = NewEvents(2);
        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        if (RefusesEventIdsAlreadyInTheStream)
        {
            var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                () => AppendAsync(stream, ExpectedRevision.Exact(1), events));
            Assert.Equal(1, conflict.ActualRevision);
            Assert.Equal(2, (await ReadStreamAsync(stream)).Count);
        }
        else
        {
            var again = await AppendAsync(stream, ExpectedRevision.Exact(1), events);
            Assert.Equal(3, again.NextExpectedRevision);
            Assert.Equal(IdsOf(events).Concat(IdsOf(events)), IdsOf(await ReadStreamAsync(stream)));
        }
    }

    [Fact]
    public async Task Append_SameEventIdsToAnotherStream_WritesThemThere()
    {
        var events = NewEvents(2);
        var first = NewStreamId();
        var second = NewStreamId();
        await AppendAsync(first, ExpectedRevision.NoStream, events);

        var result = await AppendAsync(second, ExpectedRevision.NoStream, events);

        Assert.Equal(1, result.NextExpectedRevision);
        Assert.Equal(IdsOf(events), IdsOf(await ReadStreamAsync(second)));
    }
}
