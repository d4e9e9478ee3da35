namespace AuditDashboard.Core.Search;

/// <summary>How a chart of matches cuts time.</summary>
public enum EventPeriod
{
    Day,

    /// <summary>Weeks starting on Monday.</summary>
    Week,
}

/// <summary>What a chart of matches tells apart.</summary>
public enum EventSeries
{
    Type,
    Actor,
}

/// <summary>How many matches one period holds of one series (an event type or an actor; "" for events without an actor).</summary>
public sealed record EventCount(DateTimeOffset Period, string Series, long Count);

/// <summary>
/// Matches counted by period and series, over the newest <see cref="Sampled"/> matches at most: <see cref="IsPartial"/>
/// when there were more.
/// </summary>
public sealed record EventCounts(IReadOnlyList<EventCount> Counts, long Sampled, bool IsPartial)
{
    /// <summary>The most matches a chart counts; past it the chart shows the newest.</summary>
    public const int MaxSampled = 200_000;

    /// <summary>
    /// The start of the period holding <paramref name="moment"/>, in a zone <paramref name="offset"/> from UTC, as a
    /// moment with that offset.
    /// </summary>
    public static DateTimeOffset PeriodOf(DateTimeOffset moment, EventPeriod period, TimeSpan offset)
    {
        var local = moment.ToOffset(offset);
        var day = new DateTimeOffset(local.Date, offset);
        return period == EventPeriod.Day ? day : day.AddDays(-(((int)local.DayOfWeek + 6) % 7));
    }

    /// <summary>Counts <paramref name="matches"/> (newest first: each one's recorded time, type and actor) as a store does.</summary>
    public static EventCounts Of(IEnumerable<(DateTimeOffset Recorded, string EventType, string? Actor)> matches, EventPeriod period, EventSeries series, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var sampled = matches.Take(MaxSampled + 1).ToList();
        var partial = sampled.Count > MaxSampled;
        if (partial)
            sampled.RemoveAt(MaxSampled);
        var counts = sampled
            .GroupBy(e => (Period: PeriodOf(e.Recorded, period, offset), Series: (series == EventSeries.Type ? e.EventType : e.Actor) ?? ""))
            .Select(g => new EventCount(g.Key.Period, g.Key.Series, g.LongCount()))
            .OrderBy(c => c.Period).ThenBy(c => c.Series, StringComparer.Ordinal)
            .ToList();
        return new EventCounts(counts, sampled.Count, partial);
    }
}
