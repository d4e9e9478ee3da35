namespace AuditDashboard.Core.Integrity;

/// <summary>What a check of the ledger against its seals found.</summary>
/// <param name="Violation">The first mismatch, or null when every seal checked holds.</param>
/// <param name="LeavesChecked">Leaves read from the store and hashed.</param>
/// <param name="SealsChecked">Seals whose root was recomputed from the store and compared.</param>
/// <param name="Frontier">The tree after the last leaf read: where sealing continues.</param>
/// <param name="LastPosition">The commit position of the last leaf read, or null when none was.</param>
/// <param name="ReferenceMismatchAt">
/// The first leaf whose stored leaf record differs from the store although every seal holds: the leaf records are stale
/// (not the ledger) from there on, and should be rebuilt.
/// </param>
public sealed record LedgerCheckResult(
    IntegrityViolation? Violation,
    long LeavesChecked,
    int SealsChecked,
    MerkleFrontier Frontier,
    long? LastPosition,
    long? ReferenceMismatchAt,
    TimeSpan Elapsed)
{
    public bool IsIntact => Violation is null;
}
