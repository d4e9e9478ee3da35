namespace AuditDashboard.Core.Tests;

public sealed class ExpectedRevisionTests
{
    [Fact]
    public void IsMetBy_FollowsEventStoreSemantics()
    {
        Assert.True(ExpectedRevision.Any.IsMetBy(null));
        Assert.True(ExpectedRevision.Any.IsMetBy(5));
        Assert.True(ExpectedRevision.NoStream.IsMetBy(null));
        Assert.False(ExpectedRevision.NoStream.IsMetBy(0));
        Assert.False(ExpectedRevision.StreamExists.IsMetBy(null));
        Assert.True(ExpectedRevision.StreamExists.IsMetBy(0));
        Assert.True(ExpectedRevision.Exact(3).IsMetBy(3));
        Assert.False(ExpectedRevision.Exact(3).IsMetBy(4));
        Assert.False(ExpectedRevision.Exact(0).IsMetBy(null));
    }

    [Fact]
    public void Exact_RejectsNegativeRevisions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedRevision.Exact(-1));
    }

    [Fact]
    public void Of_MapsTheLastRevisionToTheMatchingExpectation()
    {
        Assert.Equal(ExpectedRevision.NoStream, ExpectedRevision.Of(null));
        Assert.Equal(ExpectedRevision.Exact(7), ExpectedRevision.Of(7));
        Assert.Equal("no-stream", ExpectedRevision.NoStream.ToString());
        Assert.Equal("7", ExpectedRevision.Exact(7).ToString());
    }
}
