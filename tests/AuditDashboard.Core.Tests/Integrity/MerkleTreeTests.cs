using AuditDashboard.Core.Integrity;


namespace AuditDashboard.Core.Tests.Integrity;

/// <summary>The tree against the published RFC 6962 test data of Certificate Transparency, and against the RFC's own recursion.</summary>
public sealed class MerkleTreeTests
{
    // Certificate Transparency's RFC 6962 test leaves (the entries, before leaf hashing) and the roots MTH(D[n]) for n = 0…8.
    private static readonly string[] CtLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] CtRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<long, long, string[]> CtInclusionProofs => new()
    {
        { 0, 1, [] },
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    public static TheoryData<long, long, string[]> CtConsistencyProofs => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    [Fact]
    public void Frontier_OverTheCtLeaves_GivesThePublishedRootAtEverySize()
    {
        var frontier = new MerkleFrontier();
        var roots = new List<string> { Convert.ToHexStringLower(frontier.Root()) };

        foreach (var leaf in CtLeaves)
        {
            frontier.Append(MerkleHash.Leaf(Convert.FromHexString(leaf)));
            roots.Add(Convert.ToHexStringLower(frontier.Root()));
        }

        Assert.Equal(CtRoots, roots);
    }

    [Theory]
    [MemberData(nameof(CtInclusionProofs))]
    public void Inclusion_ForTheCtVectors_IsThePublishedPath_AndVerifies(long index, long size, string[] expected)
    {
        var tree = new MerkleSubtrees(CtTree());

        var proof = MerkleProofs.Inclusion(index, size, tree);

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProofs.VerifyInclusion(index, size, LeafHash(index), proof, Convert.FromHexString(CtRoots[size])));
    }

    [Theory]
    [MemberData(nameof(CtConsistencyProofs))]
    public void Consistency_ForTheCtVectors_IsThePublishedProof_AndVerifies(long first, long second, string[] expected)
    {
        var tree = new MerkleSubtrees(CtTree());

        var proof = MerkleProofs.Consistency(first, second, tree);

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProofs.VerifyConsistency(first, second, Convert.FromHexString(CtRoots[first]), Convert.FromHexString(CtRoots[second]), proof));
    }

    [Fact]
    public void EveryInclusionProof_UpTo40Leaves_Verifies_AndFailsForAnotherLeafIndexOrAlteredPath()
    {
        var hashes = Hashes(40);
        var tree = new MerkleSubtrees(new MemoryLeaves(hashes));

        for (var size = 1; size <= hashes.Length; size++)
        {
            var root = MemoryLeaves.ReferenceRoot(hashes, 0, size);
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleProofs.Inclusion(index, size, tree);

                Assert.True(MerkleProofs.VerifyInclusion(index, size, hashes[index], proof, root), $"leaf {index} of {size}");
                if (size > 1)
                    Assert.False(MerkleProofs.VerifyInclusion((index + 1) % size, size, hashes[index], proof, root));
                Assert.False(MerkleProofs.VerifyInclusion(index, size, MerkleHash.Leaf([9, 9]), proof, root));
                if (proof.Count > 0)
                {
                    var altered = proof.Select(p => (byte[])p.Clone()).ToList();
                    altered[^1][0] ^= 1;
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, hashes[index], altered, root));
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, hashes[index], proof.Take(proof.Count - 1).ToList(), root));
                }
            }
        }
    }

    [Fact]
    public void EveryConsistencyProof_UpTo40Leaves_Verifies_AndFailsForAnotherOlderRoot()
    {
        var hashes = Hashes(40);
        var tree = new MerkleSubtrees(new MemoryLeaves(hashes));

        for (var second = 1; second <= hashes.Length; second++)
        {
            var secondRoot = MemoryLeaves.ReferenceRoot(hashes, 0, second);
            for (var first = 1; first <= second; first++)
            {
                var firstRoot = MemoryLeaves.ReferenceRoot(hashes, 0, first);
                var proof = MerkleProofs.Consistency(first, second, tree);

                Assert.True(MerkleProofs.VerifyConsistency(first, second, firstRoot, secondRoot, proof), $"{first} → {second}");
                var forged = (byte[])firstRoot.Clone();
                forged[5] ^= 1;
                Assert.False(MerkleProofs.VerifyConsistency(first, second, forged, secondRoot, proof));
            }
        }
    }

    [Fact]
    public void Proofs_AcrossCachedBlocks_MatchTheRfcRecursion()
    {
        var hashes = Hashes((3 * MerkleSubtrees.BlockSize) + 77);
        var tree = new MerkleSubtrees(new MemoryLeaves(hashes));
        var size = hashes.Length;
        var root = MemoryLeaves.ReferenceRoot(hashes, 0, size);

        foreach (var index in new[] { 0, 1023, 1024, 2500, size - 1 })
            Assert.True(MerkleProofs.VerifyInclusion(index, size, hashes[index], MerkleProofs.Inclusion(index, size, tree), root));
        foreach (var first in new[] { 1, 1024, 1500, 2048, size - 1 })
        {
            var proof = MerkleProofs.Consistency(first, size, tree);
            Assert.True(MerkleProofs.VerifyConsistency(first, size, MemoryLeaves.ReferenceRoot(hashes, 0, first), root, proof));
        }

        Assert.Equal(root, tree.Hash(0, size));
    }

    [Fact]
    public void Consistency_WithARewrittenLeafInTheOlderPart_DoesNotVerifyAgainstTheOlderRoot()
    {
        var hashes = Hashes(20);
        var olderRoot = MemoryLeaves.ReferenceRoot(hashes, 0, 13);
        hashes[7] = MerkleHash.Leaf([7, 7, 7]);
        var rewritten = new MerkleSubtrees(new MemoryLeaves(hashes));

        var proof = MerkleProofs.Consistency(13, 20, rewritten);

        Assert.False(MerkleProofs.VerifyConsistency(13, 20, olderRoot, MemoryLeaves.ReferenceRoot(hashes, 0, 20), proof));
    }

    private static MemoryLeaves CtTree() => new(CtLeaves.Select(l => MerkleHash.Leaf(Convert.FromHexString(l))));

    private static byte[] LeafHash(long index) => MerkleHash.Leaf(Convert.FromHexString(CtLeaves[index]));

    private static byte[][] Hashes(int count) =>
        Enumerable.Range(0, count).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToArray();
}
