using System.Collections.Concurrent;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Export;

/// <summary>How far one running export is: events read of the account's total, and whether it ended.</summary>
public sealed class ExportProgress(Guid exportId, string user, long total)
{
    private long _read;

    public Guid ExportId { get; } = exportId;

    public string User { get; } = user;

    /// <summary>The account's events to read (the whole history: balances need every event before the range).</summary>
    public long Total { get; } = total;

    public long Read => Interlocked.Read(ref _read);

    public ExportRecorded? Finished { get; private set; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public void Report(long read) => Interlocked.Exchange(ref _read, read);

    public void Finish(ExportRecorded recorded) => Finished = recorded;
}

/// <summary>
/// The exports running now and just finished, by id, so the export dialog can show the progress of a download the browser
/// streams to disk. Only the user who started an export sees its progress. Entries go a few minutes after they finish.
/// </summary>
public sealed class ExportProgressRegistry(TimeProvider time)
{
    private static readonly TimeSpan KeepFinished = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, ExportProgress> _exports = new();

    public ExportProgress Start(Guid exportId, string user, long total)
    {
        Sweep();
        var progress = new ExportProgress(exportId, user, total);
        _exports[exportId] = progress;
        return progress;
    }

    public ExportProgress? Find(Guid exportId, string user) =>
        _exports.TryGetValue(exportId, out var progress) && progress.User == user ? progress : null;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, progress) in _exports)
        {
            if (progress.Finished is { } done && now - done.FinishedAt > KeepFinished || now - progress.StartedAt > TimeSpan.FromHours(2))
                _exports.TryRemove(id, out _);
        }
    }
}
