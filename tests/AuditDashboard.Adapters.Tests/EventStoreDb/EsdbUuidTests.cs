namespace AuditDashboard.Adapters.Tests.EventStoreDb;

public sealed class EsdbUuidTests
{
    [Fact]
    public void ToHalves_ReadsTheIdsTextualOrderAsTwoBigEndianNumbers()
    {
        // Java: new UUID(0x0011223344556677L, 0x8899aabbccddeeffL).toString() is this id.
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var (most, least) = EsdbUuid.ToHalves(id);

        Assert.Equal(0x0011223344556677L, most);
        Assert.Equal(unchecked((long)0x8899aabbccddeeffUL), least);
        Assert.Equal(id, EsdbUuid.FromHalves(most, least));
    }
}
