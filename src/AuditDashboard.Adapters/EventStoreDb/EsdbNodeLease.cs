namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>One call's hold on a node's channel.</summary>
internal sealed class EsdbNodeLease(EsdbNodeChannel node) : IDisposable
{
    private int _released;

    public EsdbNodeChannel Node => node;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            node.Release();
    }
}
