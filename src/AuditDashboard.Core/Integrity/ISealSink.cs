namespace AuditDashboard.Core.Integrity;

/// <summary>Somewhere a seal is sent once it is in the seal stream, so that a copy exists outside the ledger's store.</summary>
public interface ISealSink
{
    /// <summary>A name for logs and the Integrity page.</summary>
    string Name { get; }

    Task PublishAsync(LedgerSeal seal, CancellationToken cancellationToken);
}
