using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// Cluster features over real gRPC between in-process test servers acting as members: gossip discovery by node
/// preference, following a "not leader" answer to the leader, rediscovery when the leader goes away.
/// </summary>
public sealed class EventStoreDbClusterTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discover_FindsTheLeaderAmongTheMembers_AndAppendsLandThere()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        await using var store = new EventStoreDbEventStore($"esdb+discover://{follower.Endpoint}?tls=false");

        await store.InitializeAsync(Cancellation);
        await store.AppendAsync("order-1", ExpectedRevision.NoStream, [Event(), Event()], Cancellation);

        Assert.Equal(leader.Endpoint, store.Endpoint);
        Assert.True(follower.Node.Calls(TestNode.Gossip) >= 1);
        Assert.Equal(0, follower.Node.Calls(TestNode.Append));
        Assert.Equal(1, leader.Node.Calls(TestNode.Append));
        Assert.Equal(2, await CountAsync(leader, "order-1"));
        Assert.Equal(0, await CountAsync(follower, "order-1"));
    }

    [Fact]
    public async Task Discover_WithFollowerPreference_ReadsFromTheFollower()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        // What only the follower holds proves who answered the read.
        await follower.Store.AppendAsync("seen-on-follower", ExpectedRevision.NoStream, [Event()], Cancellation);
        await using var store = new EventStoreDbEventStore($"esdb+discover://{leader.Endpoint}?tls=false&nodePreference=follower");

        await store.InitializeAsync(Cancellation);

        Assert.Equal(follower.Endpoint, store.Endpoint);
        Assert.Equal(0, await store.GetLastRevisionAsync("seen-on-follower", Cancellation));
        Assert.Equal(0, leader.Node.Calls(TestNode.Read));
    }

    [Fact]
    public async Task NotLeader_AReadThatRequiresTheLeaderFollowsIt()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        await leader.Store.AppendAsync("order-2", ExpectedRevision.NoStream, [Event(), Event()], Cancellation);
        await using var store = new EventStoreDbEventStore(follower.ConnectionString);

        var events = await store.ReadStreamAsync("order-2", Direction.Forwards, StreamRevision.Start, 10, Cancellation).ToListAsync(Cancellation);

        Assert.Equal(2, events.Count);
        Assert.Equal(leader.Endpoint, store.Endpoint);
        Assert.Equal(1, follower.Node.Calls(TestNode.Read));
        Assert.Equal(1, leader.Node.Calls(TestNode.Read));
    }

    [Fact]
    public async Task Discover_AsksTheNextSeed_AndSkipsDeadMembersAndMembersThatServeNoClients()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        var gone = new EsdbEndpoint("127.0.0.1", UnusedPort());
        IReadOnlyList<TestMember> members =
        [
            new(gone, "Leader", IsAlive: false),
            new(new EsdbEndpoint("127.0.0.1", UnusedPort()), "CatchingUp"),
            new(follower.Endpoint, "Follower"),
            new(leader.Endpoint, "Leader"),
        ];
        follower.Node.Members = members;
        leader.Node.Members = members;
        await using var store = new EventStoreDbEventStore($"esdb://{gone},{follower.Endpoint}?tls=false&discoveryInterval=10");

        await store.InitializeAsync(Cancellation);

        Assert.Equal(leader.Endpoint, store.Endpoint);
    }

    [Fact]
    public async Task NotLeader_AnAppendFollowsTheLeaderNamed_AndLandsThereExactlyOnce()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        await using var store = new EventStoreDbEventStore(follower.ConnectionString);

        var result = await store.AppendAsync("order-3", ExpectedRevision.NoStream, [Event(), Event(), Event()], Cancellation);

        Assert.Equal(2, result.NextExpectedRevision);
        Assert.Equal(leader.Endpoint, store.Endpoint);
        Assert.Equal(1, follower.Node.Calls(TestNode.Append));
        Assert.Equal(1, leader.Node.Calls(TestNode.Append));
        Assert.Equal(3, await CountAsync(leader, "order-3"));
        Assert.Equal(0, await CountAsync(follower, "order-3"));

        // The store stays with the leader.
        await store.AppendAsync("order-3", ExpectedRevision.Exact(2), [Event()], Cancellation);
        Assert.Equal(1, follower.Node.Calls(TestNode.Append));
        Assert.Equal(2, leader.Node.Calls(TestNode.Append));
        Assert.Equal(4, await CountAsync(leader, "order-3"));
    }

    [Fact]
    public async Task NotLeader_PersistentSubscriptionsFollowTheLeader()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        await using var store = new EventStoreDbEventStore(follower.ConnectionString);

        await store.CreateToAllAsync("group-1", new PersistentSubscriptionSettings("order-", null, 3), Cancellation);
        await store.AppendAsync("order-4", ExpectedRevision.NoStream, [Event()], Cancellation);
        await using var subscription = await store.SubscribeToAllAsync("group-1", 10, Cancellation);
        await using var events = subscription.ReadAsync(Cancellation).GetAsyncEnumerator(Cancellation);
        Assert.True(await events.MoveNextAsync());

        Assert.Equal("order-4", events.Current.Event.StreamId);
        Assert.Equal(1, follower.Node.Calls(TestNode.PersistentCreate));
        Assert.NotNull(await leader.Store.GetInfoToAllAsync("group-1", Cancellation));
        Assert.Null(await follower.Store.GetInfoToAllAsync("group-1", Cancellation));
        Assert.Equal(0, follower.Node.Calls(TestNode.PersistentRead));
        Assert.Equal(1, leader.Node.Calls(TestNode.PersistentRead));
    }

    [Fact]
    public async Task LeaderGone_TheNextCallRediscovers_AndLandsOnTheNewLeader()
    {
        await using var follower = await StartAsync();
        await using var leader = await StartAsync();
        MakeCluster(leader, follower);
        await using var store = new EventStoreDbEventStore($"esdb+discover://{follower.Endpoint},{leader.Endpoint}?tls=false&discoveryInterval=10");
        await store.InitializeAsync(Cancellation);
        Assert.Equal(leader.Endpoint, store.Endpoint);

        // The leader dies; the follower is elected.
        await leader.StopAsync();
        follower.Node.LeaderElsewhere = null;
        follower.Node.Members = [new(follower.Endpoint, "Leader"), new(leader.Endpoint, "Leader", IsAlive: false)];

        await store.AppendAsync("order-5", ExpectedRevision.NoStream, [Event()], Cancellation);

        Assert.Equal(follower.Endpoint, store.Endpoint);
        Assert.Equal(1, await CountAsync(follower, "order-5"));
    }

    [Fact]
    public async Task Discovery_WhenNoSeedAnswers_FailsNamingTheSeeds_InBoundedTime()
    {
        var first = new EsdbEndpoint("127.0.0.1", UnusedPort());
        var second = new EsdbEndpoint("127.0.0.1", UnusedPort());
        await using var store = new EventStoreDbEventStore($"esdb+discover://{first},{second}?tls=false&maxDiscoverAttempts=3&discoveryInterval=50&gossipTimeout=1000");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(Cancellation));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Discovery took {clock.Elapsed}.");
        Assert.Contains("after 3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains(first.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(second.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(await store.IsReachableAsync(Cancellation));
    }

    [Fact]
    public async Task Discovery_ASeedThatNeverAnswers_IsGivenUpAfterTheGossipTimeout()
    {
        // Accepts connections and never says a word.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var seed = new EsdbEndpoint("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port);
        await using var store = new EventStoreDbEventStore($"esdb+discover://{seed}?tls=false&maxDiscoverAttempts=2&discoveryInterval=10&gossipTimeout=300");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(Cancellation));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Discovery took {clock.Elapsed}.");
        Assert.Contains($"{seed} did not answer (DeadlineExceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_WhenNoMemberServesClients_SaysWhatTheSeedReported()
    {
        await using var node = await StartAsync();
        node.Node.Members = [new(node.Endpoint, "CatchingUp"), new(new EsdbEndpoint("127.0.0.1", UnusedPort()), "Leader", IsAlive: false)];
        await using var store = new EventStoreDbEventStore($"esdb+discover://{node.Endpoint}?tls=false&maxDiscoverAttempts=2&discoveryInterval=10");

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(Cancellation));

        Assert.Contains("knows no member that serves clients", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{node.Endpoint} CatchingUp", error.Message, StringComparison.Ordinal);
        Assert.Contains("Leader (dead)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, node.Node.Calls(TestNode.Gossip));
    }

    internal static async Task<EventStoreDbTestServer> StartAsync()
    {
        var server = new EventStoreDbTestServer();
        await server.InitializeAsync();
        return server;
    }

    /// <summary>Two members that agree: <paramref name="leader"/> leads, <paramref name="follower"/> names it.</summary>
    private static void MakeCluster(EventStoreDbTestServer leader, EventStoreDbTestServer follower)
    {
        IReadOnlyList<TestMember> members = [new(follower.Endpoint, "Follower"), new(leader.Endpoint, "Leader")];
        follower.Node.LeaderElsewhere = leader.Endpoint;
        follower.Node.Members = members;
        leader.Node.Members = members;
    }

    internal static EventData Event() => new(Guid.NewGuid(), "Tested", Encoding.UTF8.GetBytes("{\"n\":1}"), ReadOnlyMemory<byte>.Empty);

    internal static async Task<int> CountAsync(EventStoreDbTestServer server, string streamId) =>
        await server.Store.ReadStreamAsync(streamId, Direction.Forwards, StreamRevision.Start, long.MaxValue, Cancellation).CountAsync(Cancellation);

    internal static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
