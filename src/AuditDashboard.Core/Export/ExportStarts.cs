namespace AuditDashboard.Core.Export;

/// <summary>
/// Puts every export on the record before the first byte of its file leaves, and only under an export id the access
/// log has never held, so no file goes out unrecorded.
/// <para>
/// The id must be new to the whole log (any user's export, started or finished): the end record's event id is the
/// export id, and the store takes a repeated event id for a retry of the first append and writes nothing, which would
/// let a reused id take a file off the record. The start is appended at the revision of the log this instance has
/// read, so of two starts racing with one id — here or on another dashboard sharing the store — the second meets a
/// changed log, reads it, finds the id and is refused. Its event id is a fresh one for the same reason: derived from
/// the export id, the second start would pass as the store's idempotent retry of the first.
/// </para>
/// </summary>
public sealed class ExportStarts(IEventStore store) : IDisposable
{
    // Other exports append their ends at any time; each conflict means the log moved on, so a start is tried again.
    private const int Attempts = 20;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<Guid> _known = [];
    private long? _readUpTo;

    /// <summary>Records the start of <paramref name="started"/>; false, writing nothing, when its export id is already in the access log.</summary>
    public async Task<bool> TryStartAsync(ExportStarted started, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(started);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                await ReadNewAsync(cancellationToken);
                if (_known.Contains(started.ExportId))
                    return false;

                try
                {
                    await store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Of(_readUpTo), [AccessLog.StartedEvent(Guid.NewGuid(), started)], cancellationToken);
                    _known.Add(started.ExportId);
                    return true;
                }
                catch (WrongExpectedRevisionException)
                {
                    // Another export was recorded meanwhile: read it, and look for the id again.
                }
            }

            throw new EventStoreUnavailableException($"The access log kept changing while export {started.ExportId} was being recorded; try again.");
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Takes in the access log's events this instance has not read yet: their export ids and event ids.</summary>
    private async Task ReadNewAsync(CancellationToken cancellationToken)
    {
        var from = _readUpTo is { } last ? last + 1 : 0;
        await foreach (var record in store.ReadStreamAsync(AccessLog.StreamId, Direction.Forwards, from, int.MaxValue, cancellationToken))
        {
            _known.Add(record.EventId);
            if (AccessLog.ExportIdOf(record) is { } exportId)
                _known.Add(exportId);
            _readUpTo = record.Revision;
        }
    }
}
