using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using static AuditDashboard.Adapters.Tests.EventStoreDb.EventStoreDbClusterTests;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// Retries over real gRPC to an in-process test server that fails the calls the test names (counted on the server):
/// transient failures are retried a bounded number of times, the rest never.
/// </summary>
public sealed class EventStoreDbRetryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Append_UnavailableTwiceThenServed_SucceedsAndIsStoredOnce_AndTheRetriesAreLogged()
    {
        await using var server = await StartAsync();
        var log = new ListLogger();
        await using var store = new EventStoreDbEventStore(EsdbConnectionString.Parse(server.ConnectionString), logger: log);
        server.Node.FailNext(TestNode.Append, StatusCode.Unavailable, 2);

        var result = await store.AppendAsync("retried-append", ExpectedRevision.NoStream, [Event(), Event()], Cancellation);

        Assert.Equal(1, result.NextExpectedRevision);
        Assert.Equal(3, server.Node.Calls(TestNode.Append));
        Assert.Equal(2, await CountAsync(server, "retried-append"));
        Assert.Equal(2, log.Messages.Count(m => m.Contains("append to 'retried-append' failed", StringComparison.Ordinal) && m.Contains("Unavailable", StringComparison.Ordinal)));
        Assert.Contains(log.Messages, m => m.Contains($"attempt 3 of {EventStoreDbEventStore.MaxAttempts}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Append_WhoseAnswerWasLost_IsRetriedAndStoredExactlyOnce()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.AppendAsync("lost-answer", ExpectedRevision.NoStream, [Event()], Cancellation);
        server.Node.ResetCalls();
        server.Node.LoseNextAnswer(TestNode.Append);

        // Committed by the first attempt; the second, with the same event ids at the same expected revision, is answered
        // with the earlier result instead of a conflict.
        var result = await store.AppendAsync("lost-answer", ExpectedRevision.Exact(0), [Event(), Event()], Cancellation);

        Assert.Equal(2, result.NextExpectedRevision);
        Assert.Equal(2, server.Node.Calls(TestNode.Append));
        Assert.Equal(3, await CountAsync(server, "lost-answer"));
    }

    [Fact]
    public async Task Read_UnavailableTwiceThenServed_Succeeds()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.AppendAsync("retried-read", ExpectedRevision.NoStream, [Event(), Event(), Event()], Cancellation);
        server.Node.ResetCalls();
        server.Node.FailNext(TestNode.Read, StatusCode.Unavailable, 2);

        var events = await store.ReadStreamAsync("retried-read", Direction.Forwards, StreamRevision.Start, 10, Cancellation).ToListAsync(Cancellation);

        Assert.Equal([0L, 1L, 2L], events.Select(e => e.Revision));
        Assert.Equal(3, server.Node.Calls(TestNode.Read));
    }

    [Fact]
    public async Task Read_DeadlineExceeded_IsRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.AppendAsync("slow-read", ExpectedRevision.NoStream, [Event()], Cancellation);
        server.Node.ResetCalls();
        server.Node.FailNext(TestNode.Read, StatusCode.DeadlineExceeded);

        Assert.Equal(0, await store.GetLastRevisionAsync("slow-read", Cancellation));
        Assert.Equal(2, server.Node.Calls(TestNode.Read));
    }

    [Fact]
    public async Task Subscription_StartThatFails_IsRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.AppendAsync("retried-subscription", ExpectedRevision.NoStream, [Event(), Event()], Cancellation);
        server.Node.ResetCalls();
        server.Node.FailNext(TestNode.Read, StatusCode.Unavailable);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        var messages = new List<SubscriptionMessage>();
        await foreach (var message in store.SubscribeToStreamAsync("retried-subscription", afterRevision: null, stop.Token))
        {
            messages.Add(message);
            if (message is SubscriptionMessage.CaughtUp)
                await stop.CancelAsync();
        }

        Assert.Equal([0L, 1L], messages.OfType<SubscriptionMessage.EventAppeared>().Select(m => m.Record.Revision));
        Assert.Equal(2, server.Node.Calls(TestNode.Read));
    }

    [Fact]
    public async Task Append_UnavailableEveryTime_GivesUpAfterMaxAttempts()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Append, StatusCode.Unavailable, EventStoreDbEventStore.MaxAttempts);

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync("never-served", ExpectedRevision.Any, [Event()], Cancellation));

        Assert.Contains($"after {EventStoreDbEventStore.MaxAttempts} attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(EventStoreDbEventStore.MaxAttempts, server.Node.Calls(TestNode.Append));
        Assert.Equal(0, await CountAsync(server, "never-served"));
    }

    [Fact]
    public async Task Append_WrongExpectedVersion_IsNotRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.AppendAsync("conflicted", ExpectedRevision.NoStream, [Event()], Cancellation);
        server.Node.ResetCalls();

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.AppendAsync("conflicted", ExpectedRevision.NoStream, [Event()], Cancellation));

        Assert.Equal(1, server.Node.Calls(TestNode.Append));
    }

    [Theory]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.Internal)]
    public async Task Append_NonTransientFailure_IsNotRetried(StatusCode status)
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Append, status);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync("refused", ExpectedRevision.Any, [Event()], Cancellation));

        Assert.True(error is EventStoreUnavailableException or ArgumentException, error.ToString());
        Assert.Equal(1, server.Node.Calls(TestNode.Append));
    }

    [Fact]
    public async Task CreatePersistentSubscription_DeadlineExceeded_IsNotRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.PersistentCreate, StatusCode.DeadlineExceeded);

        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.CreateToAllAsync("maybe-created", new PersistentSubscriptionSettings(), Cancellation));

        Assert.Equal(1, server.Node.Calls(TestNode.PersistentCreate));
    }

    [Fact]
    public async Task PersistentSubscription_ConnectionRefusedOnce_IsRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.CreateToAllAsync("reconnected", new PersistentSubscriptionSettings("kept-"), Cancellation);
        await store.AppendAsync("kept-1", ExpectedRevision.NoStream, [Event()], Cancellation);
        server.Node.FailNext(TestNode.PersistentRead, StatusCode.Unavailable);

        await using var subscription = await store.SubscribeToAllAsync("reconnected", 10, Cancellation);
        await using var events = subscription.ReadAsync(Cancellation).GetAsyncEnumerator(Cancellation);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal("kept-1", events.Current.Event.StreamId);
        Assert.Equal(2, server.Node.Calls(TestNode.PersistentRead));
    }

    [Fact]
    public async Task Retries_StopWhenTheCallerCancels()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.InitializeAsync(Cancellation); // Connected: the first attempt is made at once.
        server.Node.FailNext(TestNode.Append, StatusCode.Unavailable, 100);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AppendAsync("cancelled", ExpectedRevision.Any, [Event()], cancel.Token));

        Assert.InRange(server.Node.Calls(TestNode.Append), 1, EventStoreDbEventStore.MaxAttempts - 1);
    }

    [Fact]
    public async Task IsReachable_MakesOneAttempt()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Read, StatusCode.Unavailable);

        Assert.False(await store.IsReachableAsync(Cancellation));
        Assert.Equal(1, server.Node.Calls(TestNode.Read));
        Assert.True(await store.IsReachableAsync(Cancellation));
    }

    /// <summary>Keeps what is logged, formatted.</summary>
    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
