using System.Security.Cryptography;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Core.Tests.Integrity;

public sealed class LedgerSealTests
{
    private static readonly DateTimeOffset SealedAt = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero).AddTicks(5);

    [Fact]
    public void SignedBytes_AreTheDocumentedLines()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var root = MerkleHash.Leaf([1]);

        var seal = LedgerSeal.Create(7, 1000, 1234, root, SealedAt, keys);

        Assert.Equal(
            $"audit-seal/1\n7\n1000\n1234\n{Convert.ToHexStringLower(root)}\n2026-12-01T08:30:00.0000005Z\n{keys.Current.KeyId}",
            Encoding.UTF8.GetString(seal.SignedBytes()));
        Assert.True(keys.Current.Verifies(seal.SignedBytes(), Base64Url.TryDecode(seal.Signature)));
    }

    [Fact]
    public void Parse_OfItsJson_GivesTheSameSeal_ThatStillVerifies()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var seal = LedgerSeal.Create(1, 5, 9, MerkleHash.Leaf([2]), SealedAt, keys);

        var parsed = LedgerSeal.Parse(seal.ToJsonBytes());

        Assert.Equal(seal, parsed);
        Assert.True(parsed.IsSignedBy(keys.Published));
    }

    [Fact]
    public void IsSignedBy_WithAnAlteredRootOrSizeOrAnotherKey_IsFalse()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        using var other = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var seal = LedgerSeal.Create(1, 5, 9, MerkleHash.Leaf([2]), SealedAt, keys);

        Assert.False((seal with { RootHash = Convert.ToHexStringLower(MerkleHash.Leaf([3])) }).IsSignedBy(keys.Published));
        Assert.False((seal with { TreeSize = 6 }).IsSignedBy(keys.Published));
        Assert.False(seal.IsSignedBy(other.Published));
        Assert.False((seal with { Signature = "" }).IsSignedBy(keys.Published));
    }

    [Fact]
    public void Parse_OfSomethingElse_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => LedgerSeal.Parse("""{"schema":"audit-export/1"}"""u8));
        Assert.Throws<FormatException>(() => LedgerSeal.Parse("not json"u8));
    }
}
