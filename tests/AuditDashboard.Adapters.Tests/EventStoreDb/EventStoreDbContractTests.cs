namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The whole contract, persistent subscriptions included, against <see cref="EventStoreDbEventStore"/> over a real gRPC
/// channel (HTTP/2 without TLS on 127.0.0.1) to the in-process <see cref="EventStoreDbTestServer"/>.
/// </summary>
public sealed class EventStoreDbContractTests(EventStoreDbTestServer server) : PersistentSubscriptionContract, IClassFixture<EventStoreDbTestServer>
{
    /// <inheritdoc />
    /// <remarks>EventStoreDB's group info has no filter field.</remarks>
    protected override bool InfoReportsTheStreamPrefix => false;

    /// <inheritdoc />
    /// <remarks>EventStoreDB's parked stream keeps no retry count.</remarks>
    protected override bool ParkedEventsKeepTheRetryCount => false;

    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    /// <summary>A restarted client process: the adapter (and its channel) is disposed and a new one connects; the server keeps its state.</summary>
    protected override async Task<IEventStore> ReopenStoreAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await DisposeStoreAsync(store);
        return await CreateStoreAsync(cancellationToken);
    }
}
