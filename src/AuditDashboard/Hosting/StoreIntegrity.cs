namespace AuditDashboard.Hosting;

/// <summary>Where the check of the store file stands.</summary>
public enum StoreIntegrity
{
    /// <summary>The store is not a file this dashboard can check (EventStoreDB checks its own).</summary>
    NotChecked,

    /// <summary>The check runs; the dashboard is not ready until it passes.</summary>
    Checking,

    Intact,

    /// <summary>The check found damage: not ready, and the store refuses every read and write.</summary>
    Damaged,
}
