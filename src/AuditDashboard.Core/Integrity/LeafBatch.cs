namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Leaves handed from the reading thread to the hashing one: their positions and their hash inputs (<c>0x00 ‖ canonical
/// form</c>) one after another in one buffer. Batches are reused, so a check allocates nothing per event.
/// </summary>
internal sealed class LeafBatch
{
    public const int Capacity = 1024;

    private const int InitialBytes = 256 * 1024;

    // Starts[i] is where leaf i's hash input begins; Starts[Count] where the next one would.
    public int[] Starts { get; } = new int[Capacity + 1];

    public long[] Positions { get; } = new long[Capacity];

    public byte[] Buffer { get; private set; } = new byte[InitialBytes];

    public int Count { get; private set; }

    /// <summary>Set on the batch a follower sends when it has read everything the store had (it may hold no leaves).</summary>
    public bool CaughtUp { get; set; }

    public bool IsFull => Count == Capacity;

    public int Length => Starts[Count];

    /// <summary>The hash input of leaf <paramref name="index"/>: <c>0x00 ‖ canonical form</c>.</summary>
    public ReadOnlySpan<byte> HashInput(int index) => Buffer.AsSpan(Starts[index], Starts[index + 1] - Starts[index]);

    /// <summary>Room for one more leaf of <paramref name="length"/> bytes, or an empty span when the batch should be sent first.</summary>
    public Span<byte> Reserve(int length)
    {
        if (IsFull || (Count > 0 && Length + length > Buffer.Length))
            return [];
        if (Length + length > Buffer.Length)
            Buffer = new byte[length];
        return Buffer.AsSpan(Length, length);
    }

    public void Commit(long position, int length)
    {
        Positions[Count] = position;
        Starts[Count + 1] = Starts[Count] + length;
        Count++;
    }

    public void Clear()
    {
        Count = 0;
        CaughtUp = false;
    }
}
