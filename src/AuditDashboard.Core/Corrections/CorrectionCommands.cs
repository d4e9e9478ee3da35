using System.Collections.Concurrent;

namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Every command id the ledger holds, on any account: the event ids of corrections, proposals and decisions (each is
/// its command's id, or derived from one). The store keeps event ids unique per stream only; this read model makes a
/// command id name one command in the whole ledger. The ledger feed fills it from the log (so it is rebuilt on every
/// start), and the correction service adds what it writes at once, before the feed brings it, so a second command
/// with the same id that follows right after is judged against it.
/// </summary>
public sealed class CorrectionCommands
{
    private readonly ConcurrentDictionary<Guid, WrittenCommand> _written = new();

    public int Count => _written.Count;

    /// <summary>What the command <paramref name="commandId"/> wrote, or null when no event has this id.</summary>
    public WrittenCommand? Find(Guid commandId) => _written.GetValueOrDefault(commandId);

    /// <summary>Takes in one more event of the account; only the events commands write matter. The first event with an id wins.</summary>
    public void Apply(string accountId, RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(record);
        if (!AccountEventTypes.Corrections.Contains(record.EventType) && !AccountEventTypes.FourEyes.Contains(record.EventType))
            return;

        if (_written.ContainsKey(record.EventId))
            return;
        var decoded = AccountEventCodec.Decode(record);
        _written.TryAdd(record.EventId, new WrittenCommand(accountId, record.Revision, decoded.Event, decoded.Metadata));
    }
}
