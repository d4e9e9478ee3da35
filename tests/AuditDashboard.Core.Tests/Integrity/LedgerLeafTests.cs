using System.Security.Cryptography;
using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Core.Tests.Integrity;

public sealed class LedgerLeafTests
{
    private static readonly RecordedEvent Deposit = new(
        "account-ACC-1", 3, 42, Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), "FundsDeposited",
        Encoding.UTF8.GetBytes("""{"amount":"935.68"}"""), Encoding.UTF8.GetBytes("""{"actor":"sam"}"""),
        new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567));

    [Fact]
    public void Encode_IsTheDocumentedLengthPrefixedForm()
    {
        var expected = Convert.FromHexString(string.Concat(
            "01",
            "000000000000002a",
            "0000000d", Convert.ToHexString("account-ACC-1"u8),
            "0000000000000003",
            "0123456789abcdef0123456789abcdef",
            "0000000e", Convert.ToHexString("FundsDeposited"u8),
            "00000013", Convert.ToHexString("""{"amount":"935.68"}"""u8),
            "0000000f", Convert.ToHexString("""{"actor":"sam"}"""u8),
            ((Deposit.Created.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));

        var encoded = LedgerLeaf.Encode(Deposit);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(encoded));
        Assert.Equal(SHA256.HashData([0x00, .. encoded]), LedgerLeaf.Hash(Deposit));
    }

    [Fact]
    public void Hash_ChangesWithEveryField_IncludingOneByteOfDataOrMetadata()
    {
        var changedData = Deposit with { Data = Encoding.UTF8.GetBytes("""{"amount":"9935.68"}""") };
        var changedMetadata = Deposit with { Metadata = Encoding.UTF8.GetBytes("""{"actor":"sal"}""") };
        var variants = new[]
        {
            Deposit, changedData, changedMetadata, Deposit with { Position = 43 }, Deposit with { Revision = 4 },
            Deposit with { StreamId = "account-ACC-2" }, Deposit with { EventId = Guid.Empty }, Deposit with { EventType = "FundsWithdrawn" },
            Deposit with { Created = Deposit.Created.AddTicks(1) },
        };

        var hashes = variants.Select(v => Convert.ToHexString(LedgerLeaf.Hash(v))).ToList();

        Assert.Equal(variants.Length, hashes.Distinct().Count());
    }

    [Fact]
    public void Encode_MovingBytesBetweenNeighbouringFields_GivesAnotherForm()
    {
        var one = Deposit with { EventType = "ab", Data = "c"u8.ToArray() };
        var other = Deposit with { EventType = "a", Data = "bc"u8.ToArray() };

        Assert.NotEqual(LedgerLeaf.Encode(one), LedgerLeaf.Encode(other));
    }

    [Theory]
    [InlineData("account-ACC-1", true)]
    [InlineData("audit-access", true)]
    [InlineData("audit-integrity", true)]
    [InlineData("audit-seals", false)]
    [InlineData("$stats-127.0.0.1:2113", false)]
    public void IsLeaf_LeavesOutOnlyTheSealStreamAndServerSystemStreams(string streamId, bool expected) =>
        Assert.Equal(expected, LedgerLeaf.IsLeaf(streamId));
}
