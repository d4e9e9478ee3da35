namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Append_ToNewStreamWithNoStream_WritesTheEventsFromRevisionZero()
    {
        var stream = NewStreamId();
        var events = NewEvents(3);

        var result = await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var stored = await ReadStreamAsync(stream);
        Assert.Equal(IdsOf(events), IdsOf(stored));
        Assert.Equal([0L, 1L, 2L], stored.Select(e => e.Revision));
        Assert.Equal(2, result.NextExpectedRevision);
        Assert.Equal(stored[^1].Position, result.Position);
    }

    [Fact]
    public async Task Append_ToNewStreamWithAny_WritesTheEventsFromRevisionZero()
    {
        var stream = NewStreamId();

        var result = await AppendAsync(stream, ExpectedRevision.Any, NewEvents(2));

        Assert.Equal(1, result.NextExpectedRevision);
        Assert.Equal([0L, 1L], (await ReadStreamAsync(stream)).Select(e => e.Revision));
    }

    [Fact]
    public async Task Append_WithExactRevisionOfTheLastEvent_AppendsAfterIt()
    {
        var stream = NewStreamId();
        var first = await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var second = await AppendAsync(stream, ExpectedRevision.Exact(first.NextExpectedRevision), NewEvents(3));

        Assert.Equal(4, second.NextExpectedRevision);
        Assert.True(second.Position > first.Position);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], (await ReadStreamAsync(stream)).Select(e => e.Revision));
    }

    [Fact]
    public async Task Append_WithExactRevisionToMissingStream_ThrowsConflictCarryingNoRevision()
    {
        var stream = NewStreamId();

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.Exact(0), NewEvent()));

        Assert.Null(conflict.ActualRevision);
        Assert.Equal(stream, conflict.StreamId);
        Assert.Equal(ExpectedRevision.Exact(0), conflict.Expected);
        Assert.Empty(await ReadStreamAsync(stream));
    }

    [Fact]
    public async Task Append_WithStreamExistsToMissingStream_ThrowsConflictCarryingNoRevision()
    {
        var stream = NewStreamId();

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.StreamExists, NewEvent()));

        Assert.Null(conflict.ActualRevision);
        Assert.Empty(await ReadStreamAsync(stream));
        Assert.Null(await Store.GetLastRevisionAsync(stream, TestCancellation));
    }

    [Fact]
    public async Task Append_WithStreamExistsToExistingStream_AppendsAfterTheLastEvent()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var result = await AppendAsync(stream, ExpectedRevision.StreamExists, NewEvent());

        Assert.Equal(2, result.NextExpectedRevision);
    }

    [Fact]
    public async Task Append_WithAnyToExistingStream_AppendsAfterTheLastEvent()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var result = await AppendAsync(stream, ExpectedRevision.Any, NewEvent());

        Assert.Equal(2, result.NextExpectedRevision);
    }

    [Fact]
    public async Task Append_WithNoStreamToExistingStream_ThrowsConflictCarryingActualRevision()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.NoStream, NewEvent()));

        Assert.Equal(1, conflict.ActualRevision);
        Assert.Equal(ExpectedRevision.NoStream, conflict.Expected);
        Assert.Equal(2, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_WithStaleExpectedRevision_ThrowsConflictCarryingActualRevision()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.Exact(0), NewEvent()));

        Assert.Equal(2, conflict.ActualRevision);
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_WithExpectedRevisionAheadOfTheStream_ThrowsConflictCarryingActualRevision()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => AppendAsync(stream, ExpectedRevision.Exact(5), NewEvent()));

        Assert.Equal(0, conflict.ActualRevision);
    }

    [Fact]
    public async Task Append_Result_GivesThePositionOfTheLastEventWritten()
    {
        var stream = NewStreamId();
        await AppendAsync(NewStreamId(), ExpectedRevision.NoStream, NewEvents(2));

        var result = await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(4));

        var stored = await ReadStreamAsync(stream);
        Assert.Equal(stored[^1].Position, result.Position);
        Assert.Equal(stored[^1].Revision, result.NextExpectedRevision);
    }

    [Fact]
    public async Task Append_Successive_GetIncreasingPositionsAcrossStreams()
    {
        var results = new List<AppendResult>();

        for (var i = 0; i < 6; i++)
        {
            results.Add(await AppendAsync(NewStreamId(), ExpectedRevision.Any, NewEvent()));
        }

        Assert.All(results.Zip(results.Skip(1)), pair => Assert.True(pair.Second.Position > pair.First.Position));
    }

    [Fact]
    public async Task Append_ZeroEventsWithAMetExpectation_WritesNothing()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var result = await AppendAsync(stream, ExpectedRevision.Exact(1));

        Assert.Equal(1, result.NextExpectedRevision);
        Assert.Equal(2, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_ZeroEventsWithAnUnmetExpectation_ThrowsConflict()
    {
        var stream = NewStreamId();
        await AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));

        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => AppendAsync(stream, ExpectedRevision.Exact(0)));

        Assert.Equal(1, conflict.ActualRevision);
    }

    [Fact]
    public async Task Append_ZeroEventsToMissingStreamWithNoStream_CreatesNoStream()
    {
        var stream = NewStreamId();

        await AppendAsync(stream, ExpectedRevision.NoStream);

        Assert.Null(await Store.GetLastRevisionAsync(stream, TestCancellation));
        Assert.Empty(await ReadStreamAsync(stream));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Append_WithoutAStreamId_ThrowsArgumentException(string? streamId)
    {
        var events = NewEvents(1);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendAsync(streamId!, ExpectedRevision.Any, events, TestCancellation));
    }

    [Fact]
    public async Task Append_ThenRead_RoundTripsIdsTypesDataAndMetadataExactly()
    {
        var stream = NewStreamId();
        byte[] binary = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        var unicode = Encoding.UTF8.GetBytes("{ \"name\" : \"Zoë Ångström 🧾\",\n\t\"amount\":\"12.30\" }\r\n");
        EventData[] events =
        [
            new(Guid.NewGuid(), "FundsDeposited", unicode, Encoding.UTF8.GetBytes("""{"actor":"ana","reason":"pay-in"}""")),
            new(Guid.NewGuid(), "Binary.Payload-v2", binary, ReadOnlyMemory<byte>.Empty),
            new(Guid.NewGuid(), "Empty", ReadOnlyMemory<byte>.Empty, binary.AsMemory(10, 20)),
        ];

        await AppendAsync(stream, ExpectedRevision.NoStream, events);

        var stored = await ReadStreamAsync(stream);
        Assert.Equal(events.Length, stored.Count);
        foreach (var (sent, got) in events.Zip(stored))
        {
            Assert.Equal(stream, got.StreamId);
            Assert.Equal(sent.EventId, got.EventId);
            Assert.Equal(sent.EventType, got.EventType);
            Assert.Equal(sent.Data.ToArray(), got.Data.ToArray());
            Assert.Equal(sent.Metadata.ToArray(), got.Metadata.ToArray());
        }
    }

    [Fact]
    public async Task Append_Created_IsUtcAndNonDecreasingInPositionOrder()
    {
        var prefix = NewPrefix();
        for (var i = 0; i < 10; i++)
        {
            await AppendAsync(prefix + (i % 3), ExpectedRevision.Any, NewEvents(1 + (i % 2)));
        }

        var all = await ReadAllAsync(prefix);

        Assert.Equal(15, all.Count);
        Assert.All(all, e => Assert.Equal(TimeSpan.Zero, e.Created.Offset));
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.Second.Created >= pair.First.Created));
    }

    [Fact]
    public async Task IsReachable_OnAnInitializedStore_IsTrue()
    {
        var reachable = await Store.IsReachableAsync(TestCancellation);

        Assert.True(reachable);
    }

    [Fact]
    public async Task AppendMany_WritesEachStreamAsItsOwnAppendWould_AndAnswersInTheOrderGiven()
    {
        var (existing, fresh) = (NewStreamId(), NewStreamId());
        var earlier = await AppendAsync(existing, ExpectedRevision.NoStream, NewEvents(2));
        var (forExisting, forFresh) = (NewEvents(3), NewEvents(2));

        var results = await Store.AppendManyAsync(
            [new StreamAppend(existing, ExpectedRevision.Exact(earlier.NextExpectedRevision), forExisting), new StreamAppend(fresh, ExpectedRevision.NoStream, forFresh)],
            TestContext.Current.CancellationToken);

        var (storedExisting, storedFresh) = (await ReadStreamAsync(existing), await ReadStreamAsync(fresh));
        Assert.Equal([4L, 1L], results.Select(r => r.NextExpectedRevision));
        Assert.Equal(IdsOf(forExisting), IdsOf(storedExisting.Skip(2)));
        Assert.Equal(IdsOf(forFresh), IdsOf(storedFresh));
        Assert.Equal((storedExisting[^1].Position, storedFresh[^1].Position), (results[0].Position, results[1].Position));
        Assert.True(storedExisting[^1].Position < storedFresh[0].Position, "The streams are appended in the order given.");
    }

    [Fact]
    public async Task AppendMany_WithAStreamThatDoesNotMeetItsExpectedRevision_ThrowsConflict_AndWritesNothingToThatStream()
    {
        var (fresh, existing) = (NewStreamId(), NewStreamId());
        await AppendAsync(existing, ExpectedRevision.NoStream, NewEvents(1));

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => Store.AppendManyAsync(
            [new StreamAppend(fresh, ExpectedRevision.NoStream, NewEvents(1)), new StreamAppend(existing, ExpectedRevision.NoStream, NewEvents(2))],
            TestContext.Current.CancellationToken));

        Assert.Equal(existing, error.StreamId);
        Assert.Single(await ReadStreamAsync(existing));
    }
}
