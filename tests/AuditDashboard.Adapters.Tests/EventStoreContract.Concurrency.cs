namespace AuditDashboard.Adapters.Tests;

public abstract partial class EventStoreContract
{
    private const int Writers = 50;

    [Fact(Timeout = 30_000)]
    public async Task Append_FiftyConcurrentWritersAtTheSameExactRevision_ExactlyOneSucceeds()
    {
        var stream = NewStreamId();
        var start = NewEvent();
        await AppendAsync(stream, ExpectedRevision.NoStream, start);

        var outcomes = await AppendConcurrentlyAsync(stream, ExpectedRevision.Exact(0), TestContext.Current.CancellationToken);

        var winner = Assert.Single(outcomes, o => o.Conflict is null);
        var losers = outcomes.Where(o => o.Conflict is not null).ToList();
        Assert.Equal(Writers - 1, losers.Count);
        Assert.All(losers, o => Assert.Equal(2, o.Conflict!.ActualRevision));
        Assert.Equal([start.EventId, .. IdsOf(winner.Batch)], IdsOf(await ReadStreamAsync(stream)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Append_FiftyConcurrentWritersWithNoStream_ExactlyOneSucceeds()
    {
        var stream = NewStreamId();

        var outcomes = await AppendConcurrentlyAsync(stream, ExpectedRevision.NoStream, TestContext.Current.CancellationToken);

        var winner = Assert.Single(outcomes, o => o.Conflict is null);
        var losers = outcomes.Where(o => o.Conflict is not null).ToList();
        Assert.Equal(Writers - 1, losers.Count);
        Assert.All(losers, o => Assert.Equal(1, o.Conflict!.ActualRevision));
        Assert.Equal(IdsOf(winner.Batch), IdsOf(await ReadStreamAsync(stream)));
    }

    /// <summary>Fifty writers, each with its own two events, released together; any other exception fails the test.</summary>
    private async Task<(EventData[] Batch, WrongExpectedRevisionException? Conflict)[]> AppendConcurrentlyAsync(string stream, ExpectedRevision expected, CancellationToken cancellationToken)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers)
            .Select(_ => NewEvents(2))
            .Select(batch => Task.Run(async () =>
            {
                await go.Task;
                try
                {
                    await Store.AppendAsync(stream, expected, batch, cancellationToken);
                    return (batch, (WrongExpectedRevisionException?)null);
                }
                catch (WrongExpectedRevisionException conflict)
                {
                    return (batch, conflict);
                }
            }, cancellationToken))
            .ToList();

        go.SetResult();
        return await Task.WhenAll(writers);
    }
}
