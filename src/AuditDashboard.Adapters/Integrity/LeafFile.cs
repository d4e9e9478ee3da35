using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace AuditDashboard.Adapters.Integrity;

/// <summary>
/// The sealed leaves' records in a flat file beside the ledger: a 16-byte header, then 40 bytes a leaf (the commit position,
/// 8 bytes big-endian, and the leaf hash). It names the first event that no longer matches a seal and serves proofs without
/// reading the ledger. It is not trusted: every check compares it with the store and the signed roots, and it can be deleted
/// and rebuilt from the store at the next start. One process writes it (it holds the file open for writing, sharing reads only).
/// </summary>
public sealed class LeafFile : ILeafFile
{
    public const int RecordSize = 8 + MerkleHash.Size;
    private const int HeaderSize = 16;
    private static readonly byte[] Header = "audit-leaves/1\n\0"u8.ToArray();

    private readonly SafeFileHandle _handle;
    private readonly bool _writable;
    private readonly Lock _gate = new();
    private readonly MemoryStream _pending = new();
    private long _written;

    private LeafFile(SafeFileHandle handle, bool writable, long written)
    {
        _handle = handle;
        _writable = writable;
        _written = written;
    }

    public string? Path { get; private init; }

    /// <summary>Opens (or creates) the file for writing; throws <see cref="IOException"/> when another process writes it.</summary>
    public static LeafFile OpenForWriting(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < HeaderSize || !HasHeader(handle))
            {
                // A new file, or one that is not ours: start again (it is rebuilt from the store).
                RandomAccess.SetLength(handle, 0);
                RandomAccess.Write(handle, Header, 0);
                length = HeaderSize;
            }

            // A record cut short by a crash is dropped.
            var count = (length - HeaderSize) / RecordSize;
            RandomAccess.SetLength(handle, HeaderSize + (count * RecordSize));
            return new LeafFile(handle, writable: true, count) { Path = path };
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing file for reading beside its writer; null when there is none.</summary>
    public static LeafFile? OpenForReading(string path)
    {
        if (!File.Exists(path))
            return null;
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (RandomAccess.GetLength(handle) < HeaderSize || !HasHeader(handle))
        {
            handle.Dispose();
            return null;
        }

        return new LeafFile(handle, writable: false, (RandomAccess.GetLength(handle) - HeaderSize) / RecordSize) { Path = path };
    }

    public long Count
    {
        get
        {
            lock (_gate)
                return _written + (_pending.Length / RecordSize);
        }
    }

    public void Read(long start, Span<long> positions, Span<byte> hashes)
    {
        var count = positions.Length;
        var buffer = new byte[count * RecordSize];
        lock (_gate)
        {
            if (start < 0 || start + count > _written + (_pending.Length / RecordSize))
                throw new ArgumentOutOfRangeException(nameof(start), $"Leaves {start}–{start + count - 1} are not all in the file.");
            if (start + count > _written)
                FlushLocked();
            var read = RandomAccess.Read(_handle, buffer, HeaderSize + (start * RecordSize));
            if (read != buffer.Length)
                throw new IOException($"The leaf file {Path} ended early.");
        }

        for (var i = 0; i < count; i++)
        {
            var record = buffer.AsSpan(i * RecordSize, RecordSize);
            positions[i] = BinaryPrimitives.ReadInt64BigEndian(record);
            record[8..].CopyTo(hashes[(i * MerkleHash.Size)..]);
        }
    }

    public void Append(long position, ReadOnlySpan<byte> hash)
    {
        if (!_writable)
            throw new InvalidOperationException("The leaf file was opened for reading.");
        Span<byte> record = stackalloc byte[RecordSize];
        BinaryPrimitives.WriteInt64BigEndian(record, position);
        hash.CopyTo(record[8..]);
        lock (_gate)
        {
            _pending.Write(record);
            if (_pending.Length >= 1 << 20)
                FlushLocked();
        }
    }

    public void Truncate(long count)
    {
        lock (_gate)
        {
            FlushLocked();
            if (count >= _written)
                return;
            RandomAccess.SetLength(_handle, HeaderSize + (count * RecordSize));
            _written = count;
        }
    }

    /// <summary>
    /// Writes what was appended. Not fsynced: a record lost in a power failure is read again from the store at the next start
    /// and checked against the signed root, so durability would only cost time.
    /// </summary>
    public void Flush()
    {
        lock (_gate)
            FlushLocked();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_writable && !_handle.IsClosed)
                FlushLocked();
            _handle.Dispose();
        }
    }

    private void FlushLocked()
    {
        if (_pending.Length == 0)
            return;
        RandomAccess.Write(_handle, _pending.GetBuffer().AsSpan(0, (int)_pending.Length), HeaderSize + (_written * RecordSize));
        _written += _pending.Length / RecordSize;
        _pending.SetLength(0);
    }

    private static bool HasHeader(SafeFileHandle handle)
    {
        var header = new byte[HeaderSize];
        return RandomAccess.Read(handle, header, 0) == HeaderSize && header.AsSpan().SequenceEqual(Header);
    }
}
