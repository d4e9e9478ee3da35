namespace AuditDashboard.Core.Mirror;

/// <summary>One mirror of some of the ledger's streams to a message broker, fed by a persistent subscription group.</summary>
public interface IStreamMirror
{
    /// <summary>The persistent subscription group it consumes: the events it parks are parked in this group.</summary>
    string GroupName { get; }

    MirrorStatus Status();
}
