namespace AuditDashboard.Core.Integrity;

/// <summary>Leaf records that can grow: the sealer appends each new leaf before it seals it.</summary>
public interface ILeafLog : ILeafHashes
{
    void Append(long position, ReadOnlySpan<byte> hash);

    /// <summary>Drops every leaf from <paramref name="count"/> on.</summary>
    void Truncate(long count);

    /// <summary>Hands what was appended to the operating system, so that other readers of the file see it.</summary>
    void Flush();
}
