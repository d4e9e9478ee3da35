namespace AuditDashboard.Core.Search;

/// <summary>
/// A search across every account's events: each filter set narrows it (all must hold); results come in the order of
/// their recorded times (events recorded at the same moment in commit order), newest first unless
/// <see cref="OldestFirst"/>, a page of <see cref="Limit"/> at a time after <see cref="After"/> (the key of the previous
/// page's last item).
/// </summary>
public sealed record EventQuery
{
    /// <summary>The most a page holds.</summary>
    public const int MaxLimit = 500;

    /// <summary>The most matches a search counts; beyond it the total says "at least".</summary>
    public const int CountCap = 1_000_000;

    /// <summary>Who wrote the events (exactly, as recorded in their metadata).</summary>
    public string? Actor { get; init; }

    /// <summary>Any of these event types (wire names); empty: every type.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>One account, by its id.</summary>
    public string? AccountId { get; init; }

    /// <summary>Accounts whose owner contains this text, ignoring case.</summary>
    public string? Owner { get; init; }

    /// <summary>Recorded at or after this moment.</summary>
    public DateTimeOffset? RecordedFrom { get; init; }

    /// <summary>Recorded at or before this moment.</summary>
    public DateTimeOffset? RecordedTo { get; init; }

    /// <summary>Taking effect at or after this moment (a correction's effective time; any other event's recorded time).</summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    /// <summary>Taking effect at or before this moment.</summary>
    public DateTimeOffset? EffectiveTo { get; init; }

    /// <summary>Moving at least this much money either way (the size of the amount, whatever its sign).</summary>
    public decimal? MinAmount { get; init; }

    /// <summary>Moving at most this much money either way.</summary>
    public decimal? MaxAmount { get; init; }

    /// <summary>Moving money in this currency.</summary>
    public string? Currency { get; init; }

    /// <summary>A deposit's or withdrawal's reference, exactly.</summary>
    public string? Reference { get; init; }

    public string? CorrelationId { get; init; }

    public string? CausationId { get; init; }

    /// <summary>The system that wrote the events, exactly.</summary>
    public string? Source { get; init; }

    /// <summary>Only events flagged for a second look.</summary>
    public bool FlaggedOnly { get; init; }

    /// <summary>Words the reason holds, each as a word or the start of one, ignoring case (see <see cref="Words"/>).</summary>
    public string? Text { get; init; }

    public bool OldestFirst { get; init; }

    public int Limit { get; init; } = 50;

    /// <summary>The key of the previous page's last item: this page starts after it, in the query's order.</summary>
    public EventKey? After { get; init; }

    /// <summary>False to skip counting the matches (an export pages through them and counts as it writes).</summary>
    public bool CountTotal { get; init; } = true;

    /// <summary>
    /// The words of a free-text search: runs of letters and digits, in lower case; a reason matches when, for each word,
    /// one of its own words starts with it.
    /// </summary>
    public static IReadOnlyList<string> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    /// <summary>
    /// Whether <paramref name="e"/> matches every filter but the owner's, which <paramref name="ownerMatches"/> answers
    /// for an account id; the paging (<see cref="After"/>) is not a filter.
    /// </summary>
    public bool Matches(IndexedEvent e, Func<string, bool> ownerMatches)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(ownerMatches);
        var size = e.Amount is { } amount ? Math.Abs(amount) : (decimal?)null;
        return (Actor is null || e.Actor == Actor)
            && (Types.Count == 0 || Types.Contains(e.EventType, StringComparer.Ordinal))
            && (AccountId is null || e.AccountId == AccountId)
            && (Owner is null || ownerMatches(e.AccountId))
            && (RecordedFrom is not { } rf || e.Recorded >= rf)
            && (RecordedTo is not { } rt || e.Recorded <= rt)
            && (EffectiveFrom is not { } ef || e.EffectiveAt >= ef)
            && (EffectiveTo is not { } et || e.EffectiveAt <= et)
            && (MinAmount is not { } min || size >= min)
            && (MaxAmount is not { } max || size <= max)
            && (Currency is null || e.Currency == Currency)
            && (Reference is null || e.Reference == Reference)
            && (CorrelationId is null || e.CorrelationId == CorrelationId)
            && (CausationId is null || e.CausationId == CausationId)
            && (Source is null || e.Source == Source)
            && (!FlaggedOnly || e.Flagged)
            && ReasonHolds(e.Reason);
    }

    private bool ReasonHolds(string? reason)
    {
        var wanted = Words(Text);
        if (wanted.Count == 0)
            return true;
        var words = Words(reason);
        return wanted.All(w => words.Any(r => r.StartsWith(w, StringComparison.Ordinal)));
    }
}

/// <summary>A page of matches, with how many there are in all (at most the count's cap: then <see cref="TotalIsCapped"/>).</summary>
/// <param name="Continuation">The <see cref="EventQuery.After"/> of the next page, or null when this page is the last.</param>
public sealed record EventSearchResult(IReadOnlyList<IndexedEvent> Items, long? Total, bool TotalIsCapped, EventKey? Continuation);

/// <summary>Where an event lies in a search's order: its recorded time, then its position in the ledger.</summary>
public readonly record struct EventKey(DateTimeOffset Recorded, long Position) : IComparable<EventKey>
{
    public static EventKey Of(IndexedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventKey(e.Recorded, e.Position);
    }

    public int CompareTo(EventKey other)
    {
        var byTime = Recorded.UtcTicks.CompareTo(other.Recorded.UtcTicks);
        return byTime != 0 ? byTime : Position.CompareTo(other.Position);
    }

    public static bool operator <(EventKey left, EventKey right) => left.CompareTo(right) < 0;

    public static bool operator >(EventKey left, EventKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventKey left, EventKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventKey left, EventKey right) => left.CompareTo(right) >= 0;

    /// <summary>The key as a continuation token: the recorded time's ticks (UTC) and the position.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Recorded.UtcTicks}-{Position}");

    /// <summary>Reads a token <see cref="ToString"/> wrote; false for anything else.</summary>
    public static bool TryParse(string? text, out EventKey key)
    {
        key = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
            return false;
        key = new EventKey(new DateTimeOffset(ticks, TimeSpan.Zero), position);
        return true;
    }
}
