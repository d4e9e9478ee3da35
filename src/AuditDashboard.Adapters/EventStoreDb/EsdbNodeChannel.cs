using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Grpc.Net.Client;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>One node's channel, shared by the calls that lease it; <see cref="EsdbNodes"/> holds one reference while the node is current.</summary>
internal sealed class EsdbNodeChannel(EsdbEndpoint endpoint, GrpcChannel channel, Action<EsdbNodeChannel> closed)
{
    private int _users = 1;

    public EsdbEndpoint Endpoint => endpoint;

    public Streams.StreamsClient Streams { get; } = new(channel);

    public Protocol.Persistent.PersistentSubscriptions.PersistentSubscriptionsClient Persistent { get; } = new(channel);

    /// <summary>Only while the count is surely above 0: under the nodes' gate while the node is current, or holding another lease.</summary>
    public EsdbNodeLease Lease()
    {
        Interlocked.Increment(ref _users);
        return new EsdbNodeLease(this);
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0)
            Close();
    }

    /// <summary>Ends the channel now, whoever still uses it (disposing the store).</summary>
    public void Close()
    {
        channel.Dispose();
        closed(this);
    }
}
