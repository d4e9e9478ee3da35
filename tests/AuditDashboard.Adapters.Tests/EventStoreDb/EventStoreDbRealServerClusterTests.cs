#if EVENTSTOREDB_REAL_SERVER
using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// Gossip discovery against the real node named by EVENTSTOREDB_TEST_CONNECTION (a single node is a cluster of one:
/// its gossip names it as the leader). Compiled only when that variable is set at build time, like
/// <see cref="EventStoreDbRealServerContractTests"/>.
/// </summary>
public sealed class EventStoreDbRealServerClusterTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discover_FindsTheLeader_AndAppendsAndReadsWork()
    {
        var node = RealNode();
        await using var store = new EventStoreDbEventStore(WithScheme("esdb+discover", ""));

        await store.InitializeAsync(Cancellation);
        var stream = $"discovered-{Guid.NewGuid():N}";
        var result = await store.AppendAsync(stream, ExpectedRevision.NoStream, [Event(), Event()], Cancellation);
        var read = await store.ReadStreamAsync(stream, Direction.Forwards, StreamRevision.Start, 10, Cancellation).ToListAsync(Cancellation);

        Assert.Equal(node.Port, store.Endpoint.Port);
        Assert.Equal(1, result.NextExpectedRevision);
        Assert.Equal([0L, 1L], read.Select(e => e.Revision));
        Assert.Equal(1, await store.GetLastRevisionAsync(stream, Cancellation));
    }

    [Fact]
    public async Task Discover_WithFollowerPreference_FallsBackToTheOnlyMember()
    {
        await using var store = new EventStoreDbEventStore(WithScheme("esdb+discover", "nodePreference=follower"));

        await store.InitializeAsync(Cancellation);
        var stream = $"discovered-{Guid.NewGuid():N}";
        await store.AppendAsync(stream, ExpectedRevision.NoStream, [Event()], Cancellation);

        Assert.Equal(0, await store.GetLastRevisionAsync(stream, Cancellation));
    }

    [Fact]
    public async Task SeveralSeeds_ADeadOneFirst_StillFindTheLeader()
    {
        var node = RealNode();
        var dead = $"127.0.0.1:{UnusedPort()}";
        await using var store = new EventStoreDbEventStore(WithScheme("esdb", "discoveryInterval=10", firstSeed: dead));

        await store.InitializeAsync(Cancellation);
        var stream = $"discovered-{Guid.NewGuid():N}";
        await store.AppendAsync(stream, ExpectedRevision.NoStream, [Event()], Cancellation);

        Assert.Equal(node.Port, store.Endpoint.Port);
        Assert.Equal(0, await store.GetLastRevisionAsync(stream, Cancellation));
    }

    private static string Connection()
    {
        var connection = Environment.GetEnvironmentVariable("EVENTSTOREDB_TEST_CONNECTION");
        Assert.False(string.IsNullOrWhiteSpace(connection), "EVENTSTOREDB_TEST_CONNECTION was set when the tests were built but is not set now.");
        return connection;
    }

    private static EsdbEndpoint RealNode() => EsdbConnectionString.Parse(Connection()).Hosts[0];

    /// <summary>The test connection string with another scheme, optionally one more setting and a seed before its host.</summary>
    private static string WithScheme(string scheme, string setting, string? firstSeed = null)
    {
        var text = Connection();
        var start = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = text.LastIndexOf('@');
        var credentials = at < start ? "" : text[start..(at + 1)];
        var rest = text[(at < start ? start : at + 1)..];
        if (setting.Length > 0)
            rest += (rest.Contains('?', StringComparison.Ordinal) ? "&" : "?") + setting;
        return $"{scheme}://{credentials}{(firstSeed is null ? "" : firstSeed + ",")}{rest}";
    }

    private static EventData Event() => new(Guid.NewGuid(), "Discovered", Encoding.UTF8.GetBytes("{\"n\":1}"), ReadOnlyMemory<byte>.Empty);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
#endif
