namespace AuditDashboard.Core.Integrity;

/// <summary>
/// The hashes of an RFC 6962 Merkle tree (SHA-256): a leaf is <c>SHA-256(0x00 ‖ leaf bytes)</c>, an interior node
/// <c>SHA-256(0x01 ‖ left ‖ right)</c>. The prefixes keep leaves and nodes apart, so no leaf can pass for a subtree.
/// </summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>The root of the empty tree: SHA-256 of no bytes.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] Leaf(ReadOnlySpan<byte> leafBytes)
    {
        var hash = new byte[Size];
        Leaf(leafBytes, hash);
        return hash;
    }

    /// <summary>Hashes a leaf into <paramref name="destination"/> (32 bytes).</summary>
    public static void Leaf(ReadOnlySpan<byte> leafBytes, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(leafBytes);
        hash.GetHashAndReset(destination);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    /// <summary>Hashes two children into <paramref name="destination"/>, which may be one of them.</summary>
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size)
            throw new ArgumentException("Merkle node children are 32-byte SHA-256 hashes.");
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2): where RFC 6962 splits a tree.</summary>
    public static long SplitPoint(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        return 1L << (int)(63 - long.LeadingZeroCount(n - 1));
    }
}
