namespace AuditDashboard.Hosting;

/// <summary>Where the check of the store file stands.</summary>
public enum StoreIntegrity
{
    /// <summary>The store is not a file this dashboard can check (EventStoreDB checks its own).</summary>
    NotChecked,

    /// <summary>The check runs; the dashboard is not ready until it passes.</summary>
    Checking,

    /// <summary>
    /// The check runs while the dashboard serves: the file was closed cleanly when last used, so a restart does not wait
    /// for a read of the whole file. Damage found takes the dashboard out of service as it does at any time.
    /// </summary>
    CheckingInBackground,

    Intact,

    /// <summary>The check found damage: not ready, and the store refuses every read and write.</summary>
    Damaged,
}
