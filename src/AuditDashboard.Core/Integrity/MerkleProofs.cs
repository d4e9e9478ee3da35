namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Inclusion and consistency proofs of an RFC 6962 Merkle tree: made as RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF) define
/// them, checked with the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2. Verification never throws on bad input: a proof
/// that does not hold is false.
/// </summary>
public static class MerkleProofs
{
    /// <summary>PATH(index, D[size]): the audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> Inclusion(long index, long size, MerkleSubtrees tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (index < 0 || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size} leaves.");
        var proof = new List<byte[]>();
        Path(index, 0, size, tree, proof);
        return proof;
    }

    /// <summary>PROOF(first, D[second]): that the tree of <paramref name="second"/> leaves extends the tree of <paramref name="first"/>.</summary>
    public static IReadOnlyList<byte[]> Consistency(long first, long second, MerkleSubtrees tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (first < 0 || first > second)
            throw new ArgumentOutOfRangeException(nameof(first), $"A tree of {second} leaves cannot extend one of {first}.");
        var proof = new List<byte[]>();
        if (first > 0 && first < second)
            SubProof(first, 0, second, complete: true, tree, proof);
        return proof;
    }

    /// <summary>RFC 9162 §2.1.3.2: whether <paramref name="path"/> leads from the leaf to <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size || leafHash.Length != MerkleHash.Size || path.Any(p => p is not { Length: MerkleHash.Size }))
            return false;
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(p, r, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHash.Node(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2: whether the tree of <paramref name="second"/> leaves with root <paramref name="secondRoot"/> extends the one of <paramref name="first"/>.</summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first < 0 || second < first || firstRoot.Length != MerkleHash.Size || secondRoot.Length != MerkleHash.Size
            || proof.Any(p => p is not { Length: MerkleHash.Size }))
            return false;
        if (first == second)
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        if (first == 0)
            return proof.Count == 0 && firstRoot.SequenceEqual(MerkleHash.EmptyRoot());
        if (proof.Count == 0)
            return false;

        var path = (first & (first - 1)) == 0 ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0].ToArray();
        var sr = path[0].ToArray();
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(c, fr, fr);
                MerkleHash.Node(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.Node(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    private static void Path(long m, long start, long n, MerkleSubtrees tree, List<byte[]> proof)
    {
        if (n <= 1)
            return;
        var k = MerkleHash.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, k, tree, proof);
            proof.Add(tree.Hash(start + k, start + n));
        }
        else
        {
            Path(m - k, start + k, n - k, tree, proof);
            proof.Add(tree.Hash(start, start + k));
        }
    }

    private static void SubProof(long m, long start, long n, bool complete, MerkleSubtrees tree, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete)
                proof.Add(tree.Hash(start, start + n));
            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, k, complete, tree, proof);
            proof.Add(tree.Hash(start + k, start + n));
        }
        else
        {
            SubProof(m - k, start + k, n - k, complete: false, tree, proof);
            proof.Add(tree.Hash(start, start + k));
        }
    }
}
