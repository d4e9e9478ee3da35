using System.Buffers.Binary;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// EventStoreDB's structured event id: the id's 16 bytes in RFC 4122 (big-endian) order, read as two signed 64-bit
/// big-endian numbers, as Java's UUID holds them. .NET's <see cref="Guid"/> keeps its first three groups little-endian,
/// so the order must be converted, not copied.
/// </summary>
public static class EsdbUuid
{
    public static (long MostSignificantBits, long LeastSignificantBits) ToHalves(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return (BinaryPrimitives.ReadInt64BigEndian(bytes[..8]), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]));
    }

    public static Guid FromHalves(long mostSignificantBits, long leastSignificantBits)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], mostSignificantBits);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], leastSignificantBits);
        return new Guid(bytes, bigEndian: true);
    }
}
