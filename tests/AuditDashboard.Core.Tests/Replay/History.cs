namespace AuditDashboard.Core.Tests.Replay;

/// <summary>
/// One event of a generated history as another writer might have stored it: a type name, the data and metadata as
/// text, and how long after the previous event it was recorded (0: at the same time).
/// </summary>
public sealed record HistoryStep(string EventType, string Data, string Metadata, int MinutesAfterPrevious)
{
    public override string ToString() =>
        $"+{MinutesAfterPrevious}min {EventType} {Data}{(Metadata.Contains("\"actor\"", StringComparison.Ordinal) ? "" : " metadata: " + Metadata)}";
}

/// <summary>
/// A generated account history. Revisions and times are given when the events are stored, so a history that loses a
/// step (while FsCheck shrinks a counter-example) is still a well-formed stream.
/// </summary>
public sealed record History(IReadOnlyList<HistoryStep> Steps)
{
    public const string Account = "ACC-1";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The steps as the store hands them back: revisions from 0, recorded times never decreasing.</summary>
    public IReadOnlyList<RecordedEvent> Stored()
    {
        var time = Start;
        var events = new List<RecordedEvent>(Steps.Count);
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            time = time.AddMinutes(step.MinutesAfterPrevious);
            events.Add(new RecordedEvent(
                AccountIds.StreamOf(Account), i, 1_000 + i, Guid.NewGuid(), step.EventType,
                Encoding.UTF8.GetBytes(step.Data), Encoding.UTF8.GetBytes(step.Metadata), time));
        }

        return events;
    }

    /// <summary>The timeline entries, each folded onto the one before as the timeline folds them.</summary>
    public static List<TimelineEntry> Entries(IReadOnlyList<RecordedEvent> events)
    {
        var state = AccountState.Initial(Account);
        var entries = new List<TimelineEntry>(events.Count);
        foreach (var e in events)
        {
            var entry = TimelineEntry.Next(state, e);
            entries.Add(entry);
            state = entry.StateAfter;
        }

        return entries;
    }

    public override string ToString() => $"{Steps.Count} steps:\n  " + string.Join("\n  ", Steps);
}
