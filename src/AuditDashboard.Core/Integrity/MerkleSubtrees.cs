namespace AuditDashboard.Core.Integrity;

/// <summary>
/// RFC 6962 subtree hashes MTH(D[start:end]) over stored leaf hashes. The hashes of complete, aligned blocks of
/// <see cref="BlockSize"/> leaves are kept once computed, so a proof in a tree of millions of leaves reads at most a few
/// thousand leaf hashes instead of all of them. Blocks are never invalidated: sealed leaves do not change.
/// </summary>
public sealed class MerkleSubtrees(ILeafHashes leaves)
{
    public const int BlockSize = 1024;

    private readonly Dictionary<long, byte[]> _blocks = [];
    private readonly Lock _gate = new();

    /// <summary>MTH(D[start:end]) for 0 ≤ start &lt; end ≤ the leaves held.</summary>
    public byte[] Hash(long start, long end)
    {
        if (start < 0 || end <= start || end > leaves.Count)
            throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a non-empty range of the {leaves.Count} leaves.");
        var n = end - start;
        if (n == BlockSize && start % BlockSize == 0)
            return Block(start / BlockSize);
        if (n <= BlockSize)
            return HashRead(start, (int)n);
        var k = MerkleHash.SplitPoint(n);
        return MerkleHash.Node(Hash(start, start + k), Hash(start + k, end));
    }

    private byte[] Block(long block)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(block, out var cached))
                return cached;
        }

        var hash = HashRead(block * BlockSize, BlockSize);
        lock (_gate)
            _blocks[block] = hash;
        return hash;
    }

    private byte[] HashRead(long start, int count)
    {
        var positions = new long[count];
        var hashes = new byte[count * MerkleHash.Size];
        leaves.Read(start, positions, hashes);
        var frontier = new MerkleFrontier();
        for (var i = 0; i < count; i++)
            frontier.Append(hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
        return frontier.Root();
    }
}
