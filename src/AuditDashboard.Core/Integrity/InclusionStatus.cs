namespace AuditDashboard.Core.Integrity;

/// <summary>What a seal says about one event.</summary>
public enum InclusionStatus
{
    /// <summary>The event is a leaf of the seal's tree: a proof was made.</summary>
    Included,

    /// <summary>The event came after the seal's last leaf: a later seal covers it.</summary>
    NotSealed,

    /// <summary>The seal covers the event's position, but the leaf sealed there is not this event's bytes: no proof can be given.</summary>
    Mismatch,
}
