namespace AuditDashboard.Core.Integrity;

/// <summary>
/// That an event is leaf <see cref="LeafIndex"/> of a seal's tree: its canonical leaf bytes and the RFC 6962 audit path from
/// their leaf hash to the root. It proves nothing on its own: it is checked against a seal's signed tree size and root.
/// </summary>
/// <param name="Leaf">The event's canonical form (<see cref="LedgerLeaf"/>).</param>
/// <param name="AuditPath">PATH(index, D[tree size]) of RFC 6962 §2.1.1, 32-byte hashes.</param>
public sealed record InclusionProof(long LeafIndex, byte[] Leaf, IReadOnlyList<byte[]> AuditPath)
{
    /// <summary>SHA-256(0x00 ‖ leaf).</summary>
    public byte[] LeafHash() => MerkleHash.Leaf(Leaf);

    /// <summary>Whether the path leads from this leaf to <paramref name="seal"/>'s root in a tree of its size (its signature aside).</summary>
    public bool LeadsTo(LedgerSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        return seal.RootHash.Length == 2 * MerkleHash.Size
            && MerkleProofs.VerifyInclusion(LeafIndex, seal.TreeSize, LeafHash(), AuditPath, seal.Root());
    }
}
