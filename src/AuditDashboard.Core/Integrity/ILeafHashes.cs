namespace AuditDashboard.Core.Integrity;

/// <summary>
/// The sealed leaves, in tree order: each leaf's commit position in <c>$all</c> and its hash. What proofs are computed from and
/// what a check compares the store against to name the first event that no longer matches.
/// </summary>
public interface ILeafHashes
{
    /// <summary>How many leaves are held.</summary>
    long Count { get; }

    /// <summary>
    /// Reads <c>positions.Length</c> leaves from <paramref name="start"/>: their positions into <paramref name="positions"/> and
    /// their hashes, 32 bytes each, into <paramref name="hashes"/>.
    /// </summary>
    void Read(long start, Span<long> positions, Span<byte> hashes);
}
