#if EVENTSTOREDB_REAL_SERVER

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>What a real node named by EVENTSTOREDB_TEST_CONNECTION refuses for good: an append over its size limit.</summary>
public sealed class EventStoreDbRealServerLimitsTests
{
    [Fact(Timeout = 60_000)]
    public async Task AnAppendLargerThanTheNodeAccepts_IsEventTooLarge_AndNothingOfItIsWritten()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connection = Environment.GetEnvironmentVariable("EVENTSTOREDB_TEST_CONNECTION");
        Assert.False(string.IsNullOrWhiteSpace(connection), "EVENTSTOREDB_TEST_CONNECTION was set when the tests were built but is not set now.");
        await using var store = new EventStoreDbEventStore(connection);
        await store.InitializeAsync(cancellation);
        var stream = "limits-" + Guid.NewGuid().ToString("N");
        var small = new EventData(Guid.NewGuid(), "Small", Encoding.UTF8.GetBytes("{\"n\":1}"), ReadOnlyMemory<byte>.Empty);
        var huge = new EventData(Guid.NewGuid(), "Huge", Encoding.UTF8.GetBytes("{\"blob\":\"" + new string('x', 3 * 1024 * 1024) + "\"}"), ReadOnlyMemory<byte>.Empty);

        var refused = await Assert.ThrowsAsync<EventTooLargeException>(
            () => store.AppendAsync(stream, ExpectedRevision.NoStream, [small, huge], cancellation));

        Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetLastRevisionAsync(stream, cancellation));
    }
}
#endif
