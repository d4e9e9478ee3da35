namespace AuditDashboard.Core.Integrity;

/// <summary>How the ledger departs from its seals.</summary>
public enum ViolationKind
{
    /// <summary>An event's bytes (data, metadata, type, id, stream, revision or time) differ from what was sealed.</summary>
    Changed,

    /// <summary>A sealed event is no longer in the ledger.</summary>
    Missing,

    /// <summary>The ledger holds an event, among sealed ones, that was not sealed.</summary>
    Inserted,

    /// <summary>The ledger no longer has the root a seal states, and no leaf record says which event changed.</summary>
    RootMismatch,

    /// <summary>A seal's signature does not hold under the published keys, or the seals contradict each other.</summary>
    BadSeal,
}
