using System.Buffers;
using System.Buffers.Binary;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// The canonical byte form of a stored event, the leaf of the ledger's Merkle tree. Fixed-width fields are big-endian;
/// every variable-length field is preceded by its length, so no two events share a form:
/// <code>
/// 0x01                               format version
/// u64  position                      commit position in $all
/// u32  n, n bytes                    stream id, UTF-8
/// u64  revision                      revision in the stream
/// 16 bytes                           event id, RFC 9562 byte order (as its text reads)
/// u32  n, n bytes                    event type, UTF-8
/// u32  n, n bytes                    data, as stored
/// u32  n, n bytes                    metadata, as stored
/// i64  recorded time                 100-ns ticks since 1970-01-01T00:00:00Z
/// </code>
/// </summary>
public static class LedgerLeaf
{
    public const byte Version = 0x01;

    private static readonly byte[] SealStreamUtf8 = Encoding.UTF8.GetBytes(LedgerSeals.StreamId);

    /// <summary>
    /// Which events are leaves: every event in <c>$all</c> but the seal stream's own (a seal cannot cover itself) and the store
    /// server's system streams (<c>$…</c>, written and trimmed by EventStoreDB itself, no part of the ledger).
    /// </summary>
    public static bool IsLeaf(string streamId) =>
        !string.Equals(streamId, LedgerSeals.StreamId, StringComparison.Ordinal) && !streamId.StartsWith('$');

    /// <summary><see cref="IsLeaf(string)"/> for a stream id in UTF-8.</summary>
    public static bool IsLeaf(ReadOnlySpan<byte> streamId) =>
        !streamId.SequenceEqual(SealStreamUtf8) && !streamId.StartsWith((byte)'$');

    /// <summary>The position, stream and revision written in a canonical form: to name the event a check found different.</summary>
    public static (long Position, string StreamId, long Revision) Describe(ReadOnlySpan<byte> leafBytes)
    {
        var position = BinaryPrimitives.ReadInt64BigEndian(leafBytes[1..]);
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(leafBytes[9..]);
        var streamId = Encoding.UTF8.GetString(leafBytes.Slice(13, length));
        return (position, streamId, BinaryPrimitives.ReadInt64BigEndian(leafBytes[(13 + length)..]));
    }

    /// <summary>The canonical form of <paramref name="record"/>.</summary>
    public static byte[] Encode(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = new byte[EncodedLength(record)];
        Write(record, bytes);
        return bytes;
    }

    /// <summary>SHA-256(0x00 ‖ canonical form): the leaf hash, written into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(RecordedEvent record, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        var length = 1 + EncodedLength(record);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            rented[0] = 0x00;
            Write(record, rented.AsSpan(1, length - 1));
            SHA256.HashData(rented.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static byte[] Hash(RecordedEvent record)
    {
        var hash = new byte[MerkleHash.Size];
        Hash(record, hash);
        return hash;
    }

    /// <summary>The recorded time as the leaf holds it: 100-ns ticks since the Unix epoch.</summary>
    public static long RecordedTicks(DateTimeOffset created) => created.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    internal static int EncodedLength(RecordedEvent record) =>
        1 + 8 + 4 + Encoding.UTF8.GetByteCount(record.StreamId) + 8 + 16 + 4 + Encoding.UTF8.GetByteCount(record.EventType)
        + 4 + record.Data.Length + 4 + record.Metadata.Length + 8;

    internal static int EncodedLength(in StoredEventBytes stored) =>
        1 + 8 + 4 + stored.StreamId.Length + 8 + 16 + 4 + stored.EventType.Length + 4 + stored.Data.Length + 4 + stored.Metadata.Length + 8;

    /// <summary>The same form as <see cref="Write(RecordedEvent, Span{byte})"/>, from the stored bytes (text already UTF-8).</summary>
    internal static void Write(in StoredEventBytes stored, Span<byte> span)
    {
        span[0] = Version;
        var at = 1;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], stored.Position);
        at += 8;
        at += WriteBytes(stored.StreamId, span[at..]);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], stored.Revision);
        at += 8;
        if (!stored.EventId.TryWriteBytes(span[at..], bigEndian: true, out _))
            throw new InvalidOperationException("The event id does not fit its 16 bytes.");
        at += 16;
        at += WriteBytes(stored.EventType, span[at..]);
        at += WriteBytes(stored.Data, span[at..]);
        at += WriteBytes(stored.Metadata, span[at..]);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], stored.CreatedUtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
    }

    internal static void Write(RecordedEvent record, Span<byte> span)
    {
        span[0] = Version;
        var at = 1;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], record.Position);
        at += 8;
        at += WriteText(record.StreamId, span[at..]);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], record.Revision);
        at += 8;
        if (!record.EventId.TryWriteBytes(span[at..], bigEndian: true, out _))
            throw new InvalidOperationException("The event id does not fit its 16 bytes.");
        at += 16;
        at += WriteText(record.EventType, span[at..]);
        at += WriteBytes(record.Data.Span, span[at..]);
        at += WriteBytes(record.Metadata.Span, span[at..]);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], RecordedTicks(record.Created));
    }

    private static int WriteText(string text, Span<byte> span)
    {
        var written = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)written);
        return 4 + written;
    }

    private static int WriteBytes(ReadOnlySpan<byte> bytes, Span<byte> span)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)bytes.Length);
        bytes.CopyTo(span[4..]);
        return 4 + bytes.Length;
    }
}
