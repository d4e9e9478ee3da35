namespace AuditDashboard.Core.Accounts;

/// <summary>
/// The money movements of one account that look posted twice: a deposit or a withdrawal carrying the reference, the
/// amount and the currency of an earlier one, recorded at most <see cref="Window"/> after it. A warning, not a verdict:
/// the event applied as it was recorded, and whether to reverse it is a person's call. Fed the account's entries in
/// revision order; it keeps only the movements of the last <see cref="Window"/>.
/// </summary>
public sealed class PossibleDuplicates
{
    /// <summary>How far apart two postings of one payment may be recorded and still be taken for a duplicate.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, List<TimelineEntry>> _byReference = new(StringComparer.Ordinal);
    private readonly Queue<TimelineEntry> _recent = new();
    private readonly Dictionary<long, List<TimelineEntry>> _originals = [];

    public PossibleDuplicates(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Window = window;
    }

    public TimeSpan Window { get; }

    /// <summary>How many of the entries given so far look like duplicates.</summary>
    public int Count => _originals.Count;

    /// <summary>The earliest entry that <paramref name="revision"/> repeats, or null when it repeats none (or was not given).</summary>
    public TimelineEntry? OriginalOf(long revision) => _originals.TryGetValue(revision, out var earlier) ? earlier[0] : null;

    /// <summary>
    /// Every earlier entry within the window that <paramref name="revision"/> repeats, oldest first (empty when none): a
    /// reader that knows one of them was reversed (and posted again) looks past it.
    /// </summary>
    public IReadOnlyList<TimelineEntry> OriginalsOf(long revision) => _originals.TryGetValue(revision, out var earlier) ? earlier : [];

    /// <summary>Considers the account's next entry; returns the earlier entry it repeats, or null.</summary>
    public TimelineEntry? Add(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Forget(before: entry.Recorded - Window);
        if (ReferenceOf(entry) is not { } reference)
            return null;

        if (!_byReference.TryGetValue(reference, out var earlier))
            _byReference[reference] = earlier = [];
        List<TimelineEntry>? originals = null;
        foreach (var candidate in earlier)
        {
            if (candidate.Amount == entry.Amount && string.Equals(candidate.Currency, entry.Currency, StringComparison.Ordinal)
                && candidate.Revision < entry.Revision && (entry.Recorded - candidate.Recorded).Duration() <= Window)
                (originals ??= []).Add(candidate);
        }

        earlier.Add(entry);
        _recent.Enqueue(entry);
        if (originals is null)
            return null;
        _originals[entry.Revision] = originals;
        return originals[0];
    }

    /// <summary>
    /// Finds the duplicates among <paramref name="entries"/> (in revision order), <paramref name="before"/> being the
    /// entries just before them, read so that a duplicate of an event on an earlier page is seen; flags only the former.
    /// </summary>
    public static PossibleDuplicates Among(IEnumerable<TimelineEntry> before, IEnumerable<TimelineEntry> entries, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(entries);
        var found = new PossibleDuplicates(window);
        foreach (var entry in before)
            found.Add(entry);
        found._originals.Clear();
        foreach (var entry in entries)
            found.Add(entry);
        return found;
    }

    // Only money that moved as recorded is compared: a correction repeats the amount of what it corrects on purpose.
    // A deposit and a withdrawal of one reference are two payments, not one posted twice: the key holds the direction.
    private static string? ReferenceOf(TimelineEntry entry) =>
        entry.Warning == EntryWarning.None && entry.Reference is { Length: > 0 } reference
            ? (entry.Event is FundsDeposited ? "+" : "-") + reference
            : null;

    private void Forget(DateTimeOffset before)
    {
        while (_recent.TryPeek(out var oldest) && oldest.Recorded < before)
        {
            _recent.Dequeue();
            var key = ReferenceOf(oldest)!;
            var list = _byReference[key];
            var index = list.FindIndex(e => ReferenceEquals(e, oldest));
            if (index >= 0)
                list.RemoveAt(index);
            if (list.Count == 0)
                _byReference.Remove(key);
        }
    }
}
