#if EVENTSTOREDB_REAL_SERVER

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The whole contract, persistent subscriptions included, against a real EventStoreDB / KurrentDB node named by the EVENTSTOREDB_TEST_CONNECTION environment
/// variable (e.g. <c>esdb://admin:changeit@127.0.0.1:2113?tls=false</c>; reading $all needs an admin user).
/// </summary>
/// <remarks>
/// Compiled only when that variable is set at build time (see the project file), so without a server these tests do not
/// exist: they are neither reported as passed nor counted as skipped.
/// </remarks>
public sealed class EventStoreDbRealServerContractTests : PersistentSubscriptionContract
{
    /// <inheritdoc />
    protected override bool InfoReportsTheStreamPrefix => false;

    /// <inheritdoc />
    protected override bool ParkedEventsKeepTheRetryCount => false;

    /// <inheritdoc />
    protected override bool ParkedAfterRetriesKeepsTheNackReason => false;

    /// <inheritdoc />
    protected override bool NewGroupsHaveNoCheckpoint => false;

    /// <inheritdoc />
    protected override bool ReplayedEventsStayParkedUntilAcked => false;

    /// <inheritdoc />
    protected override bool RefusesEventIdsAlreadyInTheStream => false;

    protected override async Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var connection = Environment.GetEnvironmentVariable("EVENTSTOREDB_TEST_CONNECTION");
        Assert.False(string.IsNullOrWhiteSpace(connection), "EVENTSTOREDB_TEST_CONNECTION was set when the tests were built but is not set now.");
        var store = new EventStoreDbEventStore(connection);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    /// <summary>A restarted client: a new adapter against the same node.</summary>
    protected override async Task<IEventStore> ReopenStoreAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await DisposeStoreAsync(store);
        return await CreateStoreAsync(cancellationToken);
    }
}
#endif
