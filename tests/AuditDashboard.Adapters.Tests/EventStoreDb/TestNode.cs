using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>A cluster member as a test node's gossip reports it (State: a VNodeState name such as "Leader" or "Follower").</summary>
public sealed record TestMember(EsdbEndpoint Endpoint, string State, bool IsAlive = true);

/// <summary>
/// How one <see cref="EventStoreDbTestServer"/> behaves as a cluster member, set by the test while it runs: its role
/// (a follower answers what needs the leader with EventStoreDB's "not leader" status), what its gossip reports, failures
/// to inject; and how many calls of each method reached it.
/// </summary>
public sealed class TestNode
{
    /// <summary>gRPC method paths, as EventStoreDB serves them.</summary>
    public const string Append = "/event_store.client.streams.Streams/Append";
    public const string Read = "/event_store.client.streams.Streams/Read";
    public const string Gossip = "/event_store.client.gossip.Gossip/Read";
    public const string PersistentRead = "/event_store.client.persistent_subscriptions.PersistentSubscriptions/Read";
    public const string PersistentCreate = "/event_store.client.persistent_subscriptions.PersistentSubscriptions/Create";
    public const string PersistentGetInfo = "/event_store.client.persistent_subscriptions.PersistentSubscriptions/GetInfo";

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(StatusCode, Metadata?)>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _lostAnswers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<HttpContext, byte> _running = new();
    private volatile EsdbEndpoint? _leader;
    private volatile IReadOnlyList<TestMember>? _members;

    /// <summary>This node's address (set when its server starts).</summary>
    public EsdbEndpoint? Endpoint { get; internal set; }

    /// <summary>
    /// Null (the default): this node is the leader. Otherwise it is a follower that names this leader: calls sent with
    /// "requires-leader: true" (what the adapter sends with nodePreference=leader) are answered with "not leader", as
    /// EventStoreDB does. Calls without it are served here (a real follower serves reads and forwards writes itself).
    /// </summary>
    public EsdbEndpoint? LeaderElsewhere
    {
        get => _leader;
        set => _leader = value;
    }

    /// <summary>What the gossip service reports; null (the default): this node alone, as leader or follower per <see cref="LeaderElsewhere"/>.</summary>
    public IReadOnlyList<TestMember>? Members
    {
        get => _members;
        set => _members = value;
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> fail with <paramref name="status"/> before doing anything.</summary>
    public void FailNext(string method, StatusCode status, int times = 1, Metadata? trailers = null)
    {
        var queue = _faults.GetOrAdd(method, _ => new ConcurrentQueue<(StatusCode, Metadata?)>());
        for (var i = 0; i < times; i++)
            queue.Enqueue((status, trailers));
    }

    /// <summary>
    /// The next <paramref name="times"/> unary or client-streaming calls of <paramref name="method"/> do their work, but
    /// the client gets Unavailable instead of the answer (a connection lost after the server committed).
    /// </summary>
    public void LoseNextAnswer(string method, int times = 1) => _lostAnswers.AddOrUpdate(method, times, (_, n) => n + times);

    /// <summary>How many calls of <paramref name="method"/> reached this node (failed ones included).</summary>
    public int Calls(string method) => _calls.GetValueOrDefault(method);

    public void ResetCalls() => _calls.Clear();

    /// <summary>Counts the call and throws what the test set up for it: an injected failure, or "not leader".</summary>
    internal void Enter(ServerCallContext context)
    {
        _calls.AddOrUpdate(context.Method, 1, (_, n) => n + 1);
        if (_faults.TryGetValue(context.Method, out var queue) && queue.TryDequeue(out var fault))
            throw new RpcException(new Status(fault.Item1, $"Injected by the test: {fault.Item1}."), fault.Item2 ?? []);

        if (LeaderElsewhere is { } leader && NeedsLeader(context))
        {
            // What EventStoreDB sends (RpcExceptions.LeaderInfo): NotFound with the leader's address in the trailers.
            throw new RpcException(new Status(StatusCode.NotFound, "Leader info available"), new Metadata
            {
                { "exception", "not-leader" },
                { "leader-endpoint-host", leader.Host },
                { "leader-endpoint-port", leader.Port.ToString(CultureInfo.InvariantCulture) },
            });
        }
    }

    /// <summary>Throws Unavailable in place of the answer when the test asked to lose it.</summary>
    internal void Leave(ServerCallContext context)
    {
        while (_lostAnswers.TryGetValue(context.Method, out var left) && left > 0)
        {
            if (_lostAnswers.TryUpdate(context.Method, left - 1, left))
                throw new RpcException(new Status(StatusCode.Unavailable, "Injected by the test: the answer was lost."));
        }
    }

    internal void Track(HttpContext call) => _running.TryAdd(call, 0);

    internal void Untrack(HttpContext call) => _running.TryRemove(call, out _);

    /// <summary>Cuts every running call off, as a node that dies does.</summary>
    internal void AbortRunningCalls()
    {
        foreach (var call in _running.Keys)
        {
            try
            {
                call.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The call ended between the listing and the abort: nothing is left to cut off.
            }
        }
    }

    private static bool NeedsLeader(ServerCallContext context) =>
        context.Method != Gossip && string.Equals(context.RequestHeaders.GetValue("requires-leader"), "true", StringComparison.OrdinalIgnoreCase);
}
