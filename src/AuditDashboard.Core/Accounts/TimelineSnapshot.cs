using System.Collections;

namespace AuditDashboard.Accounts;

/// <summary>An immutable view of the first <see cref="Count"/> entries of a timeline, oldest first.</summary>
public sealed class TimelineSnapshot : IReadOnlyList<TimelineEntry>
{
    private readonly TimelineEntry[] _items;

    internal TimelineSnapshot(TimelineEntry[] items, int count, AccountState current)
    {
        _items = items;
        Count = count;
        Current = current;
    }

    public int Count { get; }

    /// <summary>The state after the last entry.</summary>
    public AccountState Current { get; }

    public bool Exists => Count > 0;

    public TimelineEntry this[int index] =>
        (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<TimelineEntry> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
