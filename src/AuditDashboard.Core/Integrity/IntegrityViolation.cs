namespace AuditDashboard.Core.Integrity;

/// <summary>
/// The first place where the ledger does not match its seals: the event found there (position, stream, revision) and the seal
/// it breaks.
/// </summary>
/// <param name="LeafIndex">The leaf's index in the tree (0-based), or null when only a range is known.</param>
/// <param name="Position">The commit position of the first event that does not match (for a missing event: the sealed position).</param>
/// <param name="StreamId">The stream of the event found at that leaf, or null when none is.</param>
/// <param name="Revision">Its revision, or null.</param>
/// <param name="Description">A sentence for people, naming all of the above.</param>
public sealed record IntegrityViolation(
    ViolationKind Kind,
    long SealNumber,
    long? LeafIndex,
    long? Position,
    string? StreamId,
    long? Revision,
    string Description)
{
    /// <summary>Identifies the violation, so that it is recorded once however often a check finds it.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Kind}:{SealNumber}:{LeafIndex}:{Position}");
}
