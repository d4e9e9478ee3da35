using System.Text.Json;

namespace AuditDashboard.Adapters.Integrity;

/// <summary>
/// Appends each seal as one JSON line to a file and syncs it to disk before returning: a copy of the seals outside the store
/// (put the file on another disk or a write-once share to make it worth more).
/// </summary>
public sealed class FileSealSink(string path) : ISealSink
{
    private readonly Lock _gate = new();

    public string Name => "file " + path;

    public Task PublishAsync(LedgerSeal seal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seal);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(seal.ToJson()) + "\n");
        lock (_gate)
        {
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            file.Write(line);
            file.Flush(flushToDisk: true);
        }

        return Task.CompletedTask;
    }
}
