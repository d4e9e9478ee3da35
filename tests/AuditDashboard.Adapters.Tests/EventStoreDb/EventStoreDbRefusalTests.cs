using Grpc.Core;
using static AuditDashboard.Adapters.Tests.EventStoreDb.EventStoreDbClusterTests;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// Answers EventStoreDB gives for good, sent by the in-process test server as the server sends them (status and
/// "exception" trailer): a tombstoned stream and an append over the size limit become exceptions that say so, and are
/// not retried.
/// </summary>
public sealed class EventStoreDbRefusalTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendOverTheSizeLimit_IsEventTooLarge_NamingTheLimit_AndNotRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Append, StatusCode.InvalidArgument, trailers: new Metadata
        {
            { "exception", "maximum-append-size-exceeded" },
            { "maximum-append-size", "1048576" },
        });

        var refused = await Assert.ThrowsAsync<EventTooLargeException>(
            () => store.AppendAsync("too-large", ExpectedRevision.NoStream, [Event()], Cancellation));

        Assert.Equal(1_048_576, refused.MaximumBytes);
        Assert.Contains("1,048,576 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Node.Calls(TestNode.Append));
        Assert.Null(await store.GetLastRevisionAsync("too-large", Cancellation));
    }

    [Fact]
    public async Task AppendToATombstonedStream_IsStreamDeleted_AndNotRetried()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Append, StatusCode.FailedPrecondition, trailers: new Metadata
        {
            { "exception", "stream-deleted" },
            { "stream-name", "account-GONE-1" },
        });

        var refused = await Assert.ThrowsAsync<StreamDeletedException>(
            () => store.AppendAsync("account-GONE-1", ExpectedRevision.Any, [Event()], Cancellation));

        Assert.Equal("account-GONE-1", refused.StreamId);
        Assert.Contains("deleted for good", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Node.Calls(TestNode.Append));
    }

    [Fact]
    public async Task ReadOfATombstonedStream_IsStreamDeleted()
    {
        await using var server = await StartAsync();
        await using var store = new EventStoreDbEventStore(server.ConnectionString);
        server.Node.FailNext(TestNode.Read, StatusCode.FailedPrecondition, trailers: new Metadata
        {
            { "exception", "stream-deleted" },
            { "stream-name", "account-GONE-2" },
        });

        await Assert.ThrowsAsync<StreamDeletedException>(
            async () => await store.ReadStreamAsync("account-GONE-2", Direction.Forwards, 0, 10, Cancellation).ToListAsync(Cancellation));
        Assert.Equal(1, server.Node.Calls(TestNode.Read));
    }
}
