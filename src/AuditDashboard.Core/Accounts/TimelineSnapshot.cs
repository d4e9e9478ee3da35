using System.Collections;
using AuditDashboard.Core.Corrections;

namespace AuditDashboard.Core.Accounts;

/// <summary>An immutable view of the first <see cref="Count"/> entries of a timeline, oldest first.</summary>
public sealed class TimelineSnapshot : IReadOnlyList<TimelineEntry>
{
    private readonly TimelineEntry[] _items;
    private readonly CorrectionIndex _links;

    internal TimelineSnapshot(TimelineEntry[] items, int count, AccountState current, CorrectionIndex links)
    {
        _items = items;
        Count = count;
        Current = current;
        _links = links;
    }

    public int Count { get; }

    /// <summary>The state after the last entry.</summary>
    public AccountState Current { get; }

    public bool Exists => Count > 0;

    /// <summary>How the corrections, proposals and decisions of these entries point at each other (see <see cref="CorrectionLinks"/>).</summary>
    public CorrectionLinks Links => _links.AsOf(Current.Revision);

    /// <summary>The first <paramref name="count"/> entries, as the timeline was then: shares the storage, copies nothing.</summary>
    public TimelineSnapshot Prefix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return count == Count ? this
            : new TimelineSnapshot(_items, count, count == 0 ? AccountState.Initial(Current.AccountId) : _items[count - 1].StateAfter, _links);
    }

    public TimelineEntry this[int index] =>
        (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<TimelineEntry> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
