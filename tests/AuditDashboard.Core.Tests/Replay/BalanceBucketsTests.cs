namespace AuditDashboard.Core.Tests.Replay;

public sealed class BalanceBucketsTests
{
    [Fact]
    public void AnEmptyHistory_HasNoBuckets()
    {
        var sliced = BalanceBuckets.Of(0, _ => throw new InvalidOperationException("Nothing to read."), 250);

        Assert.Empty(sliced.Buckets);
        Assert.Equal(0m, sliced.Min);
        Assert.Equal(0m, sliced.Max);
    }

    [Fact]
    public void AShortHistory_GetsOneBucketPerPosition()
    {
        decimal[] balances = [0m, 100m, 70m];

        var sliced = BalanceBuckets.Of(balances.Length, i => balances[i], 250);

        Assert.Equal(
            [new BalanceBucket(0, 0, 0m, 0m, 0m), new BalanceBucket(1, 1, 100m, 100m, 100m), new BalanceBucket(2, 2, 70m, 70m, 70m)],
            sliced.Buckets);
        Assert.Equal(0m, sliced.Min);
        Assert.Equal(100m, sliced.Max);
    }

    [Fact]
    public void ALongHistory_IsCutIntoEqualSlices_EachWithItsLowestHighestAndLastBalance()
    {
        decimal[] balances = [10m, 50m, -20m, 5m, 7m, 90m, 3m, 4m];

        var sliced = BalanceBuckets.Of(balances.Length, i => balances[i], 2);

        Assert.Equal([new BalanceBucket(0, 3, -20m, 50m, 5m), new BalanceBucket(4, 7, 3m, 90m, 4m)], sliced.Buckets);
        Assert.Equal(-20m, sliced.Min);
        Assert.Equal(90m, sliced.Max);
    }

    [Theory]
    [InlineData(251, 250)]
    [InlineData(1_001, 250)]
    [InlineData(99_999, 250)]
    [InlineData(100_000, 250)]
    [InlineData(7, 3)]
    public void TheSlices_CoverEveryPositionOnce_InOrder_AndTheLastEndsAtTheLatestBalance(int count, int maxBuckets)
    {
        var reads = new int[count];

        var sliced = BalanceBuckets.Of(count, i =>
        {
            reads[i]++;
            return i;
        }, maxBuckets);

        Assert.Equal(maxBuckets, sliced.Buckets.Count);
        Assert.Equal(0, sliced.Buckets[0].First);
        Assert.All(sliced.Buckets.Zip(sliced.Buckets.Skip(1)), pair => Assert.Equal(pair.First.Last + 1, pair.Second.First));
        Assert.Equal(count - 1, sliced.Buckets[^1].Last);
        Assert.Equal(count - 1, sliced.Buckets[^1].End);
        Assert.All(reads, read => Assert.Equal(1, read));
    }
}
