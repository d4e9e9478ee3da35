using AuditDashboard.Adapters.EventStoreDb.Protocol;
using AuditDashboard.Adapters.EventStoreDb.Protocol.Cluster;
using Grpc.Core;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The server side of EventStoreDB's client gossip service: the members its <see cref="TestNode"/> is told to report,
/// or the node alone (as leader, or as follower when it names a leader elsewhere).
/// </summary>
internal sealed class GossipFacade(TestNode node) : Gossip.GossipBase
{
    public override Task<ClusterInfo> Read(Empty request, ServerCallContext context)
    {
        var members = node.Members
            ?? [new TestMember(node.Endpoint!, node.LeaderElsewhere is null ? "Leader" : "Follower")];
        var info = new ClusterInfo();
        foreach (var member in members)
        {
            info.Members.Add(new MemberInfo
            {
                InstanceId = new UUID { String = Guid.NewGuid().ToString() },
                TimeStamp = DateTime.UtcNow.Ticks,
                State = Enum.Parse<MemberInfo.Types.VNodeState>(member.State),
                IsAlive = member.IsAlive,
                HttpEndPoint = new EndPoint { Address = member.Endpoint.Host, Port = (uint)member.Endpoint.Port },
            });
        }

        return Task.FromResult(info);
    }
}
