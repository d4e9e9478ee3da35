namespace AuditDashboard.Core.Tests;

/// <summary>Builds stored events the way a store hands them back, for tests that need no store.</summary>
internal static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static EventMetadata Meta(string actor = "teller:ana", string reason = "Test") =>
        new(actor, reason, "corr-1", null, "tests");

    public static RecordedEvent Recorded(long revision, AccountEvent e, EventMetadata? metadata = null, string account = "ACC-1") =>
        Stored(AccountEventCodec.Encode(Guid.NewGuid(), e, metadata ?? Meta()), revision, account);

    public static RecordedEvent Raw(long revision, string type, string data, string metadata = """{"actor":"a","reason":"r","correlationId":"c","source":"s"}""", string account = "ACC-1") =>
        Stored(new EventData(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(data), Encoding.UTF8.GetBytes(metadata)), revision, account);

    private static RecordedEvent Stored(EventData e, long revision, string account) =>
        new(AccountIds.StreamOf(account), revision, revision + 1, e.EventId, e.EventType, e.Data, e.Metadata, T0.AddMinutes(revision));

    /// <summary>Folds <paramref name="events"/> as the timeline does, returning every entry.</summary>
    public static List<TimelineEntry> Fold(params RecordedEvent[] events)
    {
        var state = AccountState.Initial("ACC-1");
        var entries = new List<TimelineEntry>();
        foreach (var e in events)
        {
            var entry = TimelineEntry.Next(state, e);
            entries.Add(entry);
            state = entry.StateAfter;
        }

        return entries;
    }
}
