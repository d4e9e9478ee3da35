using System.Net.Http.Headers;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using AuditDashboard.Adapters.EventStoreDb.Protocol.Cluster;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// Which node the store talks to: the one node of a plain connection string, or the member that gossip discovery picks
/// (<c>esdb+discover://</c> or several hosts); a node that answers "not leader" sends the store on to the leader it names.
/// </summary>
/// <remarks>
/// Each node gets its own channel. Calls lease the current one; when the store moves to another node the old channel is
/// disposed once its last call ended (a running subscription keeps it open), and disposing closes every channel.
/// </remarks>
internal sealed partial class EsdbNodes : IDisposable
{
    /// <summary>The trailers with which a follower names the leader (status NotFound, exception "not-leader").</summary>
    public const string NotLeaderException = "not-leader";
    private const string LeaderHostTrailer = "leader-endpoint-host";
    private const string LeaderPortTrailer = "leader-endpoint-port";

    private readonly EsdbConnectionString _settings;
    private readonly Func<EsdbEndpoint, HttpMessageHandler>? _handlerFactory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private readonly HashSet<EsdbNodeChannel> _open = [];
    private EsdbNodeChannel? _node;
    private EsdbEndpoint _endpoint;
    private IReadOnlyList<EsdbEndpoint> _knownMembers = [];
    private bool _disposed;

    /// <param name="settings">The parsed connection string.</param>
    /// <param name="handlerFactory">The HTTP handler for a node (tests); null: a <see cref="SocketsHttpHandler"/> per the settings.</param>
    /// <param name="logger">Where discovery and leader changes are logged.</param>
    public EsdbNodes(EsdbConnectionString settings, Func<EsdbEndpoint, HttpMessageHandler>? handlerFactory, ILogger logger)
    {
        _settings = settings;
        _handlerFactory = handlerFactory;
        _logger = logger;
        _endpoint = settings.Hosts[0];
        if (settings.UserName is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.UserName}:{settings.Password}"));
            Headers.Add("authorization", new AuthenticationHeaderValue("Basic", basic).ToString());
        }

        // A follower answers such calls with "not leader" and the leader's address, which the store then follows.
        if (settings.NodePreference == EsdbNodePreference.Leader)
            Headers.Add("requires-leader", "true");
    }

    /// <summary>What every call (and gossip read) sends: the credentials, and whether only the leader may answer.</summary>
    public Metadata Headers { get; } = [];

    /// <summary>The node calls go to (or, before the first call, will go to or discover through).</summary>
    public EsdbEndpoint Endpoint
    {
        get
        {
            lock (_gate)
                return _endpoint;
        }
    }

    /// <summary>A lease on the current node's channel, connecting (or discovering the cluster) first when there is none.</summary>
    public async ValueTask<EsdbNodeLease> AcquireAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(EventStoreDbEventStore));
            if (_node is not null)
                return _node.Lease();
            if (!_settings.UsesGossip)
                return SwitchLocked(_settings.Hosts[0]).Lease();
        }

        // One discovery at a time; whoever waited takes what the first one found.
        await _discovery.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(EventStoreDbEventStore));
                if (_node is not null)
                    return _node.Lease();
            }

            var endpoint = await DiscoverAsync(cancellationToken);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(EventStoreDbEventStore));
                return (_node ?? SwitchLocked(endpoint)).Lease();
            }
        }
        finally
        {
            _discovery.Release();
        }
    }

    /// <summary>Makes <paramref name="endpoint"/> the current node; the previous one closes once its calls ended.</summary>
    private EsdbNodeChannel SwitchLocked(EsdbEndpoint endpoint)
    {
        if (_node is not null && _node.Endpoint == endpoint)
            return _node;

        _node?.Release();
        var scheme = _settings.Tls ? "https" : "http";
        var channel = GrpcChannel.ForAddress(new UriBuilder(scheme, endpoint.Host, endpoint.Port).Uri, new GrpcChannelOptions
        {
            HttpHandler = _handlerFactory?.Invoke(endpoint) ?? CreateHandler(),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,

            // After a failed connect the channel fails calls fast until it tries again; the default waits 1 s growing to
            // 2 min, longer than the retries last, so a node that came back would stay "unreachable" for minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
        _node = new EsdbNodeChannel(endpoint, channel, Closed);
        _open.Add(_node);
        _endpoint = endpoint;
        return _node;
    }

    private void Closed(EsdbNodeChannel node)
    {
        lock (_gate)
            _open.Remove(node);
    }

    /// <summary>What a failed call says about the node it went to: a leader elsewhere, or a node that is gone.</summary>
    public void Observe(EsdbNodeChannel node, RpcException ex)
    {
        var notLeader = IsNotLeader(ex);
        if (!notLeader && ex.StatusCode != StatusCode.Unavailable)
            return;

        var leader = notLeader ? LeaderOf(ex) : null;
        lock (_gate)
        {
            if (_disposed || _node != node)
                return; // Someone else moved the store on already.

            if (leader is not null)
            {
                LogFollowingLeader(node.Endpoint, leader);
                SwitchLocked(leader);
            }
            else if (_settings.UsesGossip || node.Endpoint != _settings.Hosts[0])
            {
                // Gone, or not the leader and knowing none: a node found through gossip (or a leader followed there) is
                // given up, so the next attempt asks the cluster (or the connection string's node) again. A plain
                // connection string's own node is kept: its channel reconnects by itself.
                node.Release();
                _node = null;
                _endpoint = _settings.UsesGossip ? node.Endpoint : _settings.Hosts[0];
            }
        }
    }

    /// <summary>Closes every channel, also those a running call still holds: disposing the store ends its calls.</summary>
    public void Dispose()
    {
        EsdbNodeChannel[] open;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _node = null;
            open = [.. _open];
        }

        foreach (var node in open)
            node.Close();
    }

    public static bool IsNotLeader(RpcException ex) =>
        string.Equals(ex.Trailers.GetValue("exception"), NotLeaderException, StringComparison.Ordinal);

    /// <summary>The leader a "not leader" answer names, or null when it names none usable.</summary>
    public static EsdbEndpoint? LeaderOf(RpcException ex)
    {
        var host = ex.Trailers.GetValue(LeaderHostTrailer);
        var port = ex.Trailers.GetValue(LeaderPortTrailer);
        return !string.IsNullOrWhiteSpace(host)
               && int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
               && number is > 0 and <= 65535
            ? new EsdbEndpoint(host, number)
            : null;
    }

    /// <summary>
    /// Asks the seeds (then the members last seen) for the cluster's members, round after round until one names a member
    /// that serves clients, and picks one by the node preference.
    /// </summary>
    private async Task<EsdbEndpoint> DiscoverAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var round = 1; round <= _settings.MaxDiscoverAttempts; round++)
        {
            if (round > 1)
                await Task.Delay(_settings.DiscoveryInterval, cancellationToken);

            failures.Clear();
            IReadOnlyList<EsdbEndpoint> known;
            lock (_gate)
                known = _knownMembers;
            foreach (var seed in _settings.Hosts.Concat(known.Except(_settings.Hosts)))
            {
                ClusterInfo cluster;
                try
                {
                    cluster = await ReadGossipAsync(seed, cancellationToken);
                }
                catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures.Add($"{seed} did not answer ({ex.StatusCode}{(ex.Status.Detail.Length > 0 ? ": " + ex.Status.Detail : "")})");
                    continue;
                }

                var chosen = Pick(cluster.Members, _settings.NodePreference);
                if (chosen is null)
                {
                    var members = cluster.Members.Count == 0
                        ? "none"
                        : string.Join(", ", cluster.Members.Select(m => $"{Describe(m)} {m.State}{(m.IsAlive ? "" : " (dead)")}"));
                    failures.Add($"{seed} knows no member that serves clients (members: {members})");
                    continue;
                }

                var endpoint = EndpointOf(chosen)!;
                lock (_gate)
                {
                    _knownMembers = [.. cluster.Members.Where(m => m.IsAlive).Select(EndpointOf).OfType<EsdbEndpoint>().Distinct()];
                }

                LogDiscovered(endpoint, chosen.State, seed);
                return endpoint;
            }

            if (_logger.IsEnabled(LogLevel.Warning))
                LogDiscoveryRoundFailed(round, _settings.MaxDiscoverAttempts, string.Join("; ", failures));
        }

        throw new EventStoreUnavailableException(
            $"Cluster discovery found no EventStoreDB node to talk to after {_settings.MaxDiscoverAttempts} attempt(s) "
            + $"(seeds {string.Join(", ", _settings.Hosts)}): {string.Join("; ", failures)}.");
    }

    private async Task<ClusterInfo> ReadGossipAsync(EsdbEndpoint seed, CancellationToken cancellationToken)
    {
        var scheme = _settings.Tls ? "https" : "http";
        using var channel = GrpcChannel.ForAddress(new UriBuilder(scheme, seed.Host, seed.Port).Uri, new GrpcChannelOptions
        {
            HttpHandler = _handlerFactory?.Invoke(seed) ?? CreateHandler(_settings.GossipTimeout),
            DisposeHttpClient = true,
        });
        return await new Gossip.GossipClient(channel).ReadAsync(new Empty(), Headers, DateTime.UtcNow + _settings.GossipTimeout, cancellationToken);
    }

    private SocketsHttpHandler CreateHandler(TimeSpan? connectTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = connectTimeout ?? _settings.DefaultDeadline,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (_settings.Tls && !_settings.TlsVerifyCert)
        {
            // Asked for explicitly with tlsVerifyCert=false: development servers with self-signed certificates.
#pragma warning disable CA5359 // The operator turned certificate checks off on purpose.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    /// <summary>
    /// The member to talk to: alive, in a state that serves clients, with an endpoint; the preferred role first (the most
    /// recent leader; a random one of several followers or replicas), failing that another role.
    /// </summary>
    private static MemberInfo? Pick(IEnumerable<MemberInfo> members, EsdbNodePreference preference)
    {
        var candidates = members
            .Where(m => m.IsAlive && EndpointOf(m) is not null && Rank(m.State, preference) is not null)
            .GroupBy(m => Rank(m.State, preference)!.Value)
            .OrderBy(g => g.Key)
            .FirstOrDefault()
            ?.ToList();
        if (candidates is null)
            return null;
        if (preference == EsdbNodePreference.Leader)
            return candidates.MaxBy(m => m.TimeStamp);
#pragma warning disable CA5394 // Spreading clients over members, not security.
        return candidates[Random.Shared.Next(candidates.Count)];
#pragma warning restore CA5394
    }

    /// <summary>How well a member in <paramref name="state"/> suits <paramref name="preference"/> (lower is better); null: it serves no clients.</summary>
    private static int? Rank(MemberInfo.Types.VNodeState state, EsdbNodePreference preference)
    {
        var role = state switch
        {
            MemberInfo.Types.VNodeState.Leader => EsdbNodePreference.Leader,
            MemberInfo.Types.VNodeState.Follower => EsdbNodePreference.Follower,
            MemberInfo.Types.VNodeState.ReadOnlyReplica or MemberInfo.Types.VNodeState.ReadOnlyLeaderless => EsdbNodePreference.ReadOnlyReplica,
            _ => (EsdbNodePreference?)null,
        };
        if (role is not { } r)
            return null;
        if (preference == EsdbNodePreference.Random || r == preference)
            return 0;

        // Otherwise: the leader before followers before replicas (a replica only serves reads).
        return r switch
        {
            EsdbNodePreference.Leader => 1,
            EsdbNodePreference.Follower => 2,
            _ => 3,
        };
    }

    private static EsdbEndpoint? EndpointOf(MemberInfo member) =>
        member.HttpEndPoint is { } end && !string.IsNullOrWhiteSpace(end.Address) && end.Port is > 0 and <= 65535
            ? new EsdbEndpoint(end.Address, (int)end.Port)
            : null;

    private static string Describe(MemberInfo member) => EndpointOf(member)?.ToString() ?? "(no endpoint)";

    [LoggerMessage(Level = LogLevel.Information, Message = "EventStoreDB discovery picked {Endpoint} ({State}) from the gossip of {Seed}")]
    private partial void LogDiscovered(EsdbEndpoint endpoint, MemberInfo.Types.VNodeState state, EsdbEndpoint seed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventStoreDB discovery round {Round} of {Rounds} found no node: {Failures}")]
    private partial void LogDiscoveryRoundFailed(int round, int rounds, string failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "EventStoreDB at {Endpoint} is not the leader; following it to {Leader}")]
    private partial void LogFollowingLeader(EsdbEndpoint endpoint, EsdbEndpoint leader);
}
