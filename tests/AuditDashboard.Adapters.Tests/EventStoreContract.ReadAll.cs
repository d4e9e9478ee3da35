namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task ReadAll_Forwards_ReturnsEveryStreamsEventsInCommitOrderWithIncreasingPositions()
    {
        var prefix = NewPrefix();
        var a = NewEvents(2);
        var b = NewEvents(3);
        var c = NewEvents(1);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, a);
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, b);
        await AppendAsync(prefix + "a", ExpectedRevision.Exact(1), c);

        var all = await ReadAllAsync(prefix);

        Assert.Equal(IdsOf([.. a, .. b, .. c]), IdsOf(all));
        Assert.Equal(
            [(prefix + "a", 0L), (prefix + "a", 1L), (prefix + "b", 0L), (prefix + "b", 1L), (prefix + "b", 2L), (prefix + "a", 2L)],
            all.Select(e => (e.StreamId, e.Revision)));
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.Second.Position > pair.First.Position));
    }

    [Fact]
    public async Task ReadPositions_GivesTheEventAtEachPositionInTheOrderAsked_LeavingOutPositionsWithoutOne()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(3));
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvents(3));
        var everything = await ReadAllAsync(prefix);
        long[] asked = [everything[4].Position, everything[0].Position, everything[^1].Position + 1_000_000, everything[2].Position];

        var read = await Store.ReadPositionsAsync(asked, TestCancellation).ToListAsync(TestCancellation);

        Assert.Equal(IdsOf([everything[4], everything[0], everything[2]]), IdsOf(read));
        Assert.Equal((prefix + "b", 1L), (read[0].StreamId, read[0].Revision));
    }

    [Fact]
    public async Task ReadAll_BackwardsFromEnd_ReturnsNewestFirst()
    {
        var prefix = NewPrefix();
        var a = NewEvents(2);
        var b = NewEvents(2);
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, a);
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, b);

        var all = await ReadAllAsync(prefix, Direction.Backwards, AllPosition.End);

        Assert.Equal(IdsOf([.. a, .. b]).Reverse(), IdsOf(all));
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.Second.Position < pair.First.Position));
    }

    [Fact]
    public async Task ReadAll_ForwardsFromAPosition_StartsAtThatPositionInclusive()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(3));
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvents(3));
        var everything = await ReadAllAsync(prefix);

        var fromFourth = await ReadAllAsync(prefix, Direction.Forwards, everything[3].Position);

        Assert.Equal(IdsOf(everything.Skip(3)), IdsOf(fromFourth));
    }

    [Fact]
    public async Task ReadAll_BackwardsFromAPosition_StartsAtThatPositionInclusive()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(3));
        await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvents(3));
        var everything = await ReadAllAsync(prefix);

        var fromFourth = await ReadAllAsync(prefix, Direction.Backwards, everything[3].Position);

        Assert.Equal(IdsOf(everything.Take(4)).Reverse(), IdsOf(fromFourth));
    }

    [Fact]
    public async Task ReadAll_WithACount_StopsAfterThatMany()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvents(5));
        var everything = await ReadAllAsync(prefix);

        var forwards = await ReadAllAsync(prefix, Direction.Forwards, everything[1].Position, maxCount: 2);
        var backwards = await ReadAllAsync(prefix, Direction.Backwards, AllPosition.End, maxCount: 2);

        Assert.Equal(IdsOf(everything[1..3]), IdsOf(forwards));
        Assert.Equal(IdsOf(everything[3..5]).Reverse(), IdsOf(backwards));
    }

    [Fact]
    public async Task ReadAll_WithAPrefix_LeavesOutStreamsThatDoNotStartWithIt()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "account-1", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "other-1", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "account-2", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync("x" + prefix + "account-3", ExpectedRevision.NoStream, NewEvent());

        var accounts = await ReadAllAsync(prefix + "account-");

        Assert.Equal([prefix + "account-1", prefix + "account-2"], accounts.Select(e => e.StreamId));
    }

    [Fact]
    public async Task ReadAll_WithAPrefixContainingWildcardCharacters_MatchesThemLiterally()
    {
        var prefix = NewPrefix();
        await AppendAsync(prefix + "100%-a", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "100x-b", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "1000-c", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "a_b-d", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "axb-e", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(prefix + "A_B-f", ExpectedRevision.NoStream, NewEvent());

        var percent = await ReadAllAsync(prefix + "100%");
        var underscore = await ReadAllAsync(prefix + "a_b");

        Assert.Equal([prefix + "100%-a"], percent.Select(e => e.StreamId));
        Assert.Equal([prefix + "a_b-d"], underscore.Select(e => e.StreamId));
    }

    [Fact]
    public async Task ReadAll_WithoutAPrefix_IncludesEveryStream()
    {
        var prefix = NewPrefix();
        var unrelated = "unrelated-" + Guid.NewGuid().ToString("N");
        var first = await AppendAsync(prefix + "a", ExpectedRevision.NoStream, NewEvent());
        await AppendAsync(unrelated, ExpectedRevision.NoStream, NewEvent());
        var last = await AppendAsync(prefix + "b", ExpectedRevision.NoStream, NewEvent());

        var all = await Store.ReadAllAsync(Direction.Forwards, first.Position, maxCount: long.MaxValue, streamPrefix: null, TestCancellation)
            .TakeWhile(e => e.Position <= last.Position)
            .ToListAsync(TestCancellation);

        // Other writers may share the store, so look for this test's streams among whatever else is there.
        Assert.Equal([prefix + "a", unrelated, prefix + "b"], all.Select(e => e.StreamId).Where(s => s.StartsWith(prefix, StringComparison.Ordinal) || s == unrelated));
    }
}
