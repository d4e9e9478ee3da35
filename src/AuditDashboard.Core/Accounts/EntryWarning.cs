namespace AuditDashboard.Core.Accounts;

/// <summary>Why a timeline entry deserves a second look. Flagged entries are shown as stored and leave the state unchanged, unless noted.</summary>
public enum EntryWarning
{
    None,

    /// <summary>Another writer's event type the dashboard does not know.</summary>
    UnknownType,

    /// <summary>The event's data does not parse or breaks the event's own rules.</summary>
    Unreadable,

    /// <summary>A readable event that cannot apply to the state it meets (e.g. a deposit in another currency).</summary>
    Inconsistent,

    /// <summary>The event applied, but its metadata does not parse: who and why are unknown.</summary>
    MetadataUnreadable,
}
