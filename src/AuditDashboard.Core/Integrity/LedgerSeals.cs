namespace AuditDashboard.Core.Integrity;

/// <summary>Where seals and integrity findings are kept: streams of their own in the same store.</summary>
public static class LedgerSeals
{
    /// <summary>The seals, one <see cref="SealedType"/> event each, appended with an exact expected revision so the chain cannot fork.</summary>
    public const string StreamId = "audit-seals";

    public const string SealedType = "LedgerSealed";

    /// <summary>What the checks found: one <see cref="ViolationType"/> event per violation. Its events are leaves like any other.</summary>
    public const string FindingsStreamId = "audit-integrity";

    public const string ViolationType = "IntegrityViolationDetected";

    /// <summary>Every seal in the store, oldest first, with the seal stream's last revision (null: no seal yet).</summary>
    /// <exception cref="FormatException">An event of the seal stream is not a seal.</exception>
    public static async Task<(IReadOnlyList<LedgerSeal> Seals, long? LastRevision)> ReadAsync(IEventStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var seals = new List<LedgerSeal>();
        long? last = null;
        await foreach (var record in store.ReadStreamAsync(StreamId, Direction.Forwards, StreamRevision.Start, long.MaxValue, cancellationToken))
        {
            last = record.Revision;
            if (record.EventType == SealedType)
                seals.Add(LedgerSeal.Parse(record.Data.Span));
        }

        return (seals, last);
    }

    /// <summary>The event that appends <paramref name="seal"/>: its id derives from the seal, so a retried append writes it once.</summary>
    public static EventData ToEvent(LedgerSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        var digest = System.Security.Cryptography.SHA256.HashData(seal.SignedBytes());
        return new EventData(new Guid(digest.AsSpan(0, 16)), SealedType, seal.ToJsonBytes(), "{}"u8.ToArray());
    }
}
