namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Inclusion proofs of stored events in a seal's tree, made from the sealer's leaf records: the leaf is found by its commit
/// position, its sealed hash compared with the event's bytes as the store holds them now, and the audit path taken from the
/// leaf records. One way of making them, for the proof endpoint and for exports that carry proofs.
/// </summary>
public static class LedgerProofs
{
    /// <summary>
    /// Proves <paramref name="record"/> against <paramref name="seal"/>. The leaf records must hold at least the seal's tree
    /// (<c>leaves.Count ≥ seal.TreeSize</c>), and <paramref name="tree"/> must be over them.
    /// </summary>
    public static InclusionAttempt Prove(RecordedEvent record, LedgerSeal seal, ILeafHashes leaves, MerkleSubtrees tree)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(tree);
        if (leaves.Count < seal.TreeSize)
            throw new ArgumentException($"The leaf records hold {leaves.Count} leaves, fewer than seal {seal.Number} covers ({seal.TreeSize}).", nameof(leaves));

        if (FindLeaf(leaves, record.Position, seal.TreeSize) is not { } index)
            return new InclusionAttempt(InclusionStatus.NotSealed);

        var leafHash = LedgerLeaf.Hash(record);
        var positions = new long[1];
        var sealedHash = new byte[MerkleHash.Size];
        leaves.Read(index, positions, sealedHash);
        if (!sealedHash.AsSpan().SequenceEqual(leafHash))
            return new InclusionAttempt(InclusionStatus.Mismatch, LeafIndex: index);

        return new InclusionAttempt(InclusionStatus.Included, new InclusionProof(index, LedgerLeaf.Encode(record), MerkleProofs.Inclusion(index, seal.TreeSize, tree)), index);
    }

    /// <summary>The leaf among the first <paramref name="count"/> whose commit position is <paramref name="position"/>, by binary search (positions increase with the index).</summary>
    public static long? FindLeaf(ILeafHashes leaves, long position, long count)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var one = new long[1];
        var hash = new byte[MerkleHash.Size];
        long low = 0, high = count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            leaves.Read(middle, one, hash);
            if (one[0] == position)
                return middle;
            if (one[0] < position)
                low = middle + 1;
            else
                high = middle - 1;
        }

        return null;
    }
}
