using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Grpc.Core;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>A Read call positioned on its first answer, with the hold on the channel it runs on.</summary>
internal sealed class EsdbOpenRead(EsdbNodeLease lease, AsyncServerStreamingCall<ReadResp> call, bool hasAnswer) : IDisposable
{
    public bool HasAnswer => hasAnswer;

    public IAsyncStreamReader<ReadResp> Responses => call.ResponseStream;

    public EsdbEndpoint Endpoint => lease.Node.Endpoint;

    public void Dispose()
    {
        call.Dispose();
        lease.Dispose();
    }
}
