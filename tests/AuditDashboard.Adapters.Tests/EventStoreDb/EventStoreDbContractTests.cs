using AuditDashboard.EventStore;
using AuditDashboard.EventStoreDb;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The core event store contract against <see cref="EventStoreDbEventStore"/> over a real gRPC channel (HTTP/2 without
/// TLS on 127.0.0.1) to the in-process <see cref="EventStoreDbTestServer"/>. Persistent subscriptions are not part of
/// this adapter yet, so it runs <see cref="EventStoreContract"/>, not <see cref="PersistentSubscriptionContract"/>.
/// </summary>
public sealed class EventStoreDbContractTests(EventStoreDbTestServer server) : EventStoreContract, IClassFixture<EventStoreDbTestServer>
{
    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new EventStoreDbEventStore(server.ConnectionString);
        await store.InitializeAsync(cancellationToken);
        return store;
    }
}
