namespace AuditDashboard.Core.Mirror;

/// <summary>
/// The ledger's mirror to a message broker, as the dashboard runs, shows and operates it: the account events' mirror and
/// the seals' mirror (same topic, a subscription group each), the events the account mirror parked, and one account read
/// back from the broker and compared with the store.
/// </summary>
public interface ILedgerMirror
{
    MirrorTarget Target { get; }

    IStreamMirror Accounts { get; }

    /// <summary>The seals' mirror; null where the ledger is not sealed (Integrity:Enabled=false), so no group waits on an empty stream.</summary>
    IStreamMirror? Seals { get; }

    /// <summary>Runs the mirrors until cancelled; each restarts itself after any failure.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>The events the mirrors set aside (the broker refused them for good): the account events', then the seals', oldest first.</summary>
    IAsyncEnumerable<ParkedEvent> ReadParkedAsync(long maxCount, CancellationToken cancellationToken);

    /// <summary>Sends the parked events (account events and seals) through their mirror again; those the broker still refuses are parked again.</summary>
    Task ReplayParkedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the stream and every message under its key and compares them. Throws <see cref="MirrorUnavailableException"/>
    /// when the broker cannot be read.
    /// </summary>
    Task<ReconciliationReport> ReconcileAsync(string streamId, long? lastMirroredPosition, IReadOnlySet<long> parkedPositions, CancellationToken cancellationToken);
}
