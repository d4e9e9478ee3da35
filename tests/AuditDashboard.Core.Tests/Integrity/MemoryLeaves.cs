using AuditDashboard.Core.Integrity;


namespace AuditDashboard.Core.Tests.Integrity;

/// <summary>Leaf records in memory, for proofs over test trees.</summary>
internal sealed class MemoryLeaves : ILeafLog
{
    private readonly List<(long Position, byte[] Hash)> _leaves = [];

    public MemoryLeaves(IEnumerable<byte[]>? hashes = null)
    {
        foreach (var hash in hashes ?? [])
            Append(_leaves.Count + 1, hash);
    }

    public long Count => _leaves.Count;

    public void Read(long start, Span<long> positions, Span<byte> hashes)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var (position, hash) = _leaves[(int)start + i];
            positions[i] = position;
            hash.CopyTo(hashes[(i * MerkleHash.Size)..]);
        }
    }

    public void Append(long position, ReadOnlySpan<byte> hash) => _leaves.Add((position, hash.ToArray()));

    public void Truncate(long count) => _leaves.RemoveRange((int)count, _leaves.Count - (int)count);

    public void Flush()
    {
    }

    /// <summary>RFC 6962 MTH written as the RFC states it, recursively over the whole list: the reference the fast code is compared with.</summary>
    public static byte[] ReferenceRoot(IReadOnlyList<byte[]> leafHashes, int start, int end)
    {
        var n = end - start;
        if (n == 0)
            return MerkleHash.EmptyRoot();
        if (n == 1)
            return leafHashes[start];
        var k = 1;
        while (k * 2 < n)
            k *= 2;
        return MerkleHash.Node(ReferenceRoot(leafHashes, start, start + k), ReferenceRoot(leafHashes, start + k, end));
    }
}
