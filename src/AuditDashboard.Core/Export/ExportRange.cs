using AuditDashboard.Core.Replay;

namespace AuditDashboard.Core.Export;

/// <summary>
/// The time range of an export, both ends inclusive; null ends are open. Times are recorded times in the recorded view and
/// effective times in the corrected view.
/// </summary>
public sealed record ExportRange(DateTimeOffset? From, DateTimeOffset? To)
{
    public static readonly ExportRange All = new(null, null);

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public bool Contains(DateTimeOffset moment) => (From is not { } from || moment >= from) && (To is not { } to || moment <= to);

    /// <summary>Whether the range holds <paramref name="entry"/>: by its recorded time, or its effective time in the corrected view.</summary>
    public bool Contains(TimelineEntry entry, ReplayView view)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Contains(view == ReplayView.Corrected ? entry.EffectiveAt : entry.Recorded);
    }

    /// <summary>
    /// How many positions of <paramref name="replay"/> the range holds, in its view's time: two searches by time, since
    /// the positions follow it.
    /// </summary>
    public async Task<long> CountInAsync(IReplaySource replay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replay);
        var last = To is { } to ? await replay.IndexAtTimeAsync(to, cancellationToken) : replay.Count - 1;
        var beforeFirst = From is { } from && from > DateTimeOffset.MinValue ? await replay.IndexAtTimeAsync(from.AddTicks(-1), cancellationToken) : -1;
        return Math.Max(0, last - beforeFirst);
    }

    /// <summary>How many of <paramref name="entries"/> the range holds in <paramref name="view"/>.</summary>
    public long CountIn(IEnumerable<TimelineEntry> entries, ReplayView view) => entries.LongCount(e => Contains(e, view));

    /// <summary>
    /// Reads <paramref name="from"/> and <paramref name="to"/> as ISO-8601 dates (<c>2026-03-31</c>: the whole day, UTC) or
    /// date-times (<c>2026-03-31T14:30:00Z</c>; without an offset, UTC). Returns null and fills <paramref name="errors"/>
    /// when either does not parse or from is after to.
    /// </summary>
    public static ExportRange? Parse(string? from, string? to, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var start = ParseEnd(from, "from", endOfDay: false, errors);
        var end = ParseEnd(to, "to", endOfDay: true, errors);
        if (errors.Count > 0)
            return null;
        if (start > end)
        {
            errors["to"] = [$"The range is empty: from ({ExportText.Time(start!.Value)}) is after to ({ExportText.Time(end!.Value)})."];
            return null;
        }

        return new ExportRange(start, end);
    }

    /// <summary>
    /// Reads one end of a range as <see cref="Parse"/> does (a date is its first tick, or with <paramref name="endOfDay"/>
    /// its last); null when empty, or when it does not parse (then <paramref name="errors"/> names <paramref name="name"/>).
    /// </summary>
    public static DateTimeOffset? ParseEnd(string? text, string name, bool endOfDay, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out var day))
            return endOfDay ? day.AddTicks(TimeSpan.TicksPerDay - 1) : day; // the day's last tick; 9999-12-31 has no next day
        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, styles, out var moment))
            return moment.ToUniversalTime();

        var shown = text.Length <= 40 ? text : text[..40] + "…";
        errors[name] = [$"'{shown}' is not a date: use ISO-8601, e.g. 2026-03-31 or 2026-03-31T14:30:00Z."];
        return null;
    }
}
