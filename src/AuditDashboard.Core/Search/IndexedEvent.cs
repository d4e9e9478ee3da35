namespace AuditDashboard.Core.Search;

/// <summary>
/// One account event as the event index holds it: where it is (position, account, revision), what it is, who wrote it
/// and why, when it was recorded and when it takes effect, the money it moved and the ids that tie it to others.
/// </summary>
/// <param name="Amount">The signed change the event made to the balance (withdrawals negative), or null when it moved none.</param>
/// <param name="Flagged">True when the event deserves a second look: unknown, unreadable, inconsistent, or without readable metadata.</param>
public sealed record IndexedEvent(
    long Position,
    string AccountId,
    long Revision,
    Guid EventId,
    string EventType,
    string? Actor,
    DateTimeOffset Recorded,
    DateTimeOffset EffectiveAt,
    decimal? Amount,
    string? Currency,
    string? Reference,
    string? CorrelationId,
    string? CausationId,
    string? Source,
    string? Reason,
    bool Flagged)
{
    /// <summary>The entry of the account's timeline as the index keeps it.</summary>
    public static IndexedEvent From(string accountId, TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var metadata = entry.Metadata;
        return new IndexedEvent(
            entry.Record.Position, accountId, entry.Revision, entry.Record.EventId, entry.EventType, metadata?.Actor,
            entry.Recorded, entry.EffectiveAt, entry.Amount, entry.Currency, entry.Reference, metadata?.CorrelationId,
            metadata?.CausationId, metadata?.Source, metadata?.Reason, entry.Warning != EntryWarning.None);
    }
}
