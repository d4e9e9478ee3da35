namespace AuditDashboard.Core.Mirror;

/// <summary>One account's events in the store against its messages in the broker.</summary>
/// <param name="Missing">Revisions the mirror passed that the broker does not hold (and that are not parked).</param>
/// <param name="Duplicated">Revisions the broker holds more than once.</param>
/// <param name="OutOfOrder">Revisions the broker holds after a later revision of the same account.</param>
/// <param name="NotYetMirrored">Revisions the mirror has not reached yet.</param>
/// <param name="Parked">Revisions the mirror set aside.</param>
/// <param name="Unknown">Messages under this account's key whose event the store does not hold.</param>
public sealed record ReconciliationReport(
    string StreamId,
    int StoreEvents,
    int Messages,
    IReadOnlyList<long> Missing,
    IReadOnlyList<long> Duplicated,
    IReadOnlyList<long> OutOfOrder,
    IReadOnlyList<long> NotYetMirrored,
    IReadOnlyList<long> Parked,
    int Unknown)
{
    public bool InSync => Missing.Count == 0 && Duplicated.Count == 0 && OutOfOrder.Count == 0 && Unknown == 0;
}
