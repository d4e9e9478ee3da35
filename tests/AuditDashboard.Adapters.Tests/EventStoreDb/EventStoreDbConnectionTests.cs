using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>What the adapter does when no server answers.</summary>
public sealed class EventStoreDbConnectionTests
{
    [Fact]
    public async Task Initialize_WhenNothingListens_ThrowsUnavailableNamingTheNode()
    {
        var port = UnusedPort();
        await using var store = new EventStoreDbEventStore($"esdb://127.0.0.1:{port}?tls=false&defaultDeadline=3000");

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.False(await store.IsReachableAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Initialize_WithSeveralNodes_UsesTheFirstThatAnswers()
    {
        await using var server = new EventStoreDbTestServer();
        await server.InitializeAsync();
        var live = EsdbConnectionString.Parse(server.ConnectionString).Hosts[0];
        await using var store = new EventStoreDbEventStore($"esdb://127.0.0.1:{UnusedPort()},{live}?tls=false&defaultDeadline=3000");

        await store.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(live, store.Endpoint);
        Assert.True(await store.IsReachableAsync(TestContext.Current.CancellationToken));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
