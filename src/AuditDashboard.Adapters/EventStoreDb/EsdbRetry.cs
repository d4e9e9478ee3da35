namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>What <see cref="EsdbCalls"/> may retry for a call.</summary>
internal enum EsdbRetry
{
    /// <summary>Nothing: one attempt (readiness checks).</summary>
    Never,

    /// <summary>Failures where the call did not take effect or may take effect twice harmlessly: unreachable node, leader change.</summary>
    Unreached,

    /// <summary>Those and a missed deadline: reads and calls whose repetition changes nothing.</summary>
    Idempotent,
}
