using AuditDashboard.Kafka;

namespace AuditDashboard.Mirror;

/// <summary>
/// The mirror of the ledger's seals: the seal stream to the same topic as the account events, through a subscription group
/// of its own (see <see cref="MirrorSettings.ForSeals"/>), so each seal leaves the system where it cannot be changed later.
/// </summary>
public sealed class SealMirror(KafkaMirror mirror)
{
    public KafkaMirror Mirror => mirror;
}
