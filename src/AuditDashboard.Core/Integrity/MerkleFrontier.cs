namespace AuditDashboard.Core.Integrity;

/// <summary>
/// A Merkle tree that grows one leaf at a time and keeps only the roots of its perfect subtrees (one per set bit of the size,
/// at most 64 hashes): enough to compute the RFC 6962 root of every size it passes through, never the leaves themselves.
/// </summary>
public sealed class MerkleFrontier
{
    // The perfect subtrees' roots, left (largest) to right (smallest), 32 bytes each.
    private readonly byte[] _nodes = new byte[64 * MerkleHash.Size];
    private int _count;

    /// <summary>How many leaves the tree holds.</summary>
    public long Size { get; private set; }

    /// <summary>A frontier with the same leaves, to grow independently of this one.</summary>
    public MerkleFrontier Clone()
    {
        var copy = new MerkleFrontier { Size = Size, _count = _count };
        _nodes.AsSpan(0, _count * MerkleHash.Size).CopyTo(copy._nodes);
        return copy;
    }

    /// <summary>Adds the leaf whose hash (<see cref="MerkleHash.Leaf(ReadOnlySpan{byte})"/>) is <paramref name="leafHash"/>.</summary>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(hash);

        // Each trailing one bit of the old size is a perfect subtree of the same height as the one being carried: merge them.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            _count--;
            MerkleHash.Node(Node(_count), hash, hash);
        }

        hash.CopyTo(_nodes.AsSpan(_count * MerkleHash.Size));
        _count++;
        Size++;
    }

    /// <summary>The tree's root, RFC 6962 MTH(D[Size]).</summary>
    public byte[] Root()
    {
        if (_count == 0)
            return MerkleHash.EmptyRoot();
        var root = Node(_count - 1).ToArray();
        for (var i = _count - 2; i >= 0; i--)
            MerkleHash.Node(Node(i), root, root);
        return root;
    }

    private Span<byte> Node(int index) => _nodes.AsSpan(index * MerkleHash.Size, MerkleHash.Size);
}
