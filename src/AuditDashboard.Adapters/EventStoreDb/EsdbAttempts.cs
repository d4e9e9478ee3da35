namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>One call's tries: how many, and the node the last one went to (for the error message).</summary>
internal sealed class EsdbAttempts(string what)
{
    public string What => what;

    public int Count { get; set; }

    public EsdbEndpoint? Endpoint { get; set; }
}
