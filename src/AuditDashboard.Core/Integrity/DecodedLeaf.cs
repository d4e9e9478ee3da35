using System.Buffers.Binary;

namespace AuditDashboard.Core.Integrity;

/// <summary>
/// The fields of an event's canonical leaf form (<see cref="LedgerLeaf"/>), read back: what a proof's leaf says the sealed event
/// was, for comparing with what a file says it was.
/// </summary>
/// <param name="RecordedTicks">100-ns ticks since 1970-01-01T00:00:00Z.</param>
public sealed record DecodedLeaf(
    long Position, string StreamId, long Revision, Guid EventId, string EventType, byte[] Data, byte[] Metadata, long RecordedTicks)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The recorded time as a moment (UTC).</summary>
    public DateTimeOffset Recorded => DateTimeOffset.UnixEpoch.AddTicks(RecordedTicks);

    /// <summary>Reads a canonical form; exactly one, with nothing after its last field.</summary>
    /// <exception cref="FormatException">The bytes are not an event's canonical form.</exception>
    public static DecodedLeaf Parse(ReadOnlySpan<byte> leaf)
    {
        var reader = new Reader(leaf);
        if (reader.Take(1)[0] != LedgerLeaf.Version)
            throw new FormatException("The leaf does not start with format version 1.");
        var position = reader.Int64();
        var streamId = reader.Text();
        var revision = reader.Int64();
        var eventId = new Guid(reader.Take(16), bigEndian: true);
        var eventType = reader.Text();
        var data = reader.Counted().ToArray();
        var metadata = reader.Counted().ToArray();
        var ticks = reader.Int64();
        if (!reader.AtEnd)
            throw new FormatException("The leaf has bytes after its last field.");
        if (ticks < -DateTimeOffset.UnixEpoch.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks)
            throw new FormatException("The leaf's recorded time is out of range.");
        return new DecodedLeaf(position, streamId, revision, eventId, eventType, data, metadata, ticks);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _bytes.Length - _at)
                throw new FormatException("The leaf ends before its last field.");
            var chunk = _bytes.Slice(_at, count);
            _at += count;
            return chunk;
        }

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public ReadOnlySpan<byte> Counted()
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
            return length > int.MaxValue ? throw new FormatException("A leaf field's length is out of range.") : Take((int)length);
        }

        public string Text()
        {
            try
            {
                return StrictUtf8.GetString(Counted());
            }
            catch (DecoderFallbackException ex)
            {
                throw new FormatException("A leaf's text field is not UTF-8.", ex);
            }
        }
    }
}
