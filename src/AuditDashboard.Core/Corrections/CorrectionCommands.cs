using System.Collections.Concurrent;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Every command id the ledger holds, on any account: the event ids of corrections, proposals and decisions (each is
/// its command's id, or derived from one). The store keeps event ids unique per stream only; this read model makes a
/// command id name one command in the whole ledger. What the read-model store kept (the events commands wrote, up to
/// the account directory's checkpoint) is looked up there; the ledger feed adds what follows, and the correction
/// service what it writes at once, before the feed brings it, so a second command with the same id that follows right
/// after is judged against it. Without a store the feed fills it from the first event.
/// </summary>
public sealed class CorrectionCommands
{
    private readonly ConcurrentDictionary<Guid, WrittenCommand> _written = new();
    private volatile IReadModelStore? _kept;

    /// <summary>How many commands are held in memory (those the store keeps are not counted).</summary>
    public int Count => _written.Count;

    /// <summary>
    /// Looks up, from now on, the commands <paramref name="readModels"/> keeps as well (everything up to its account
    /// directory's checkpoint, where the ledger feed starts).
    /// </summary>
    public void LookUpIn(IReadModelStore readModels)
    {
        ArgumentNullException.ThrowIfNull(readModels);
        _kept = readModels;
    }

    /// <summary>
    /// What the command <paramref name="commandId"/> wrote, or null when no event has this id. The store's answer comes
    /// first: it keeps events in the ledger's order, and holds any event the feed brought later with the same id after it.
    /// </summary>
    public async Task<WrittenCommand?> FindAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        if (_kept is { } kept && await kept.FindCommandEventAsync(commandId, cancellationToken) is { } record
            && AccountIds.TryFromStream(record.StreamId, out var accountId))
        {
            var decoded = AccountEventCodec.Decode(record);
            return new WrittenCommand(accountId, record.Revision, decoded.Event, decoded.Metadata);
        }

        return _written.GetValueOrDefault(commandId);
    }

    /// <summary>Takes in one more event of the account; only the events commands write matter. The first event with an id wins.</summary>
    public void Apply(string accountId, RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(record);
        if (!AccountEventTypes.IsCommand(record.EventType))
            return;

        if (_written.ContainsKey(record.EventId))
            return;
        var decoded = AccountEventCodec.Decode(record);
        _written.TryAdd(record.EventId, new WrittenCommand(accountId, record.Revision, decoded.Event, decoded.Metadata));
    }
}
