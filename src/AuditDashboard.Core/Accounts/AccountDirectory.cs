using System.Collections.Concurrent;
using AuditDashboard.Live;

namespace AuditDashboard.Accounts;

/// <summary>
/// Every account's current state, kept up to date by the ledger feed: the read model behind search and the accounts
/// list, so listing never folds a stream.
/// </summary>
public sealed class AccountDirectory
{
    private readonly ConcurrentDictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly ChangeSubscribers _subscribers = new();
    private volatile bool _caughtUp;

    /// <summary>True once the feed has delivered everything stored when it started.</summary>
    public bool IsCaughtUp => _caughtUp;

    public int Count => _accounts.Count;

    /// <summary>Raised after an account changed, with its new state.</summary>
    public event EventHandler<AccountState>? Changed;

    /// <summary>Raised once the directory holds every account that existed when the feed started.</summary>
    public event EventHandler? CaughtUp;

    /// <summary>
    /// Calls <paramref name="onChange"/> after any account changed, also while the feed is still catching up (so a page
    /// can show how far it got), and once it has caught up; until disposed.
    /// </summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    public AccountState? Find(string accountId) => _accounts.GetValueOrDefault(accountId);

    /// <summary>Folds one more event of the account into its entry.</summary>
    public AccountState Apply(string accountId, EventStore.RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var before = _accounts.GetValueOrDefault(accountId) ?? AccountState.Initial(accountId);

        // A redelivered or older event is ignored; the feed delivers each event once, in order.
        if (before.Revision is { } seen && record.Revision <= seen)
            return before;

        var after = TimelineEntry.Next(before, record).StateAfter;
        _accounts[accountId] = after;
        if (_caughtUp)
            Changed?.Invoke(this, after);
        _subscribers.Notify();
        return after;
    }

    public void MarkCaughtUp()
    {
        if (_caughtUp)
            return;
        _caughtUp = true;
        CaughtUp?.Invoke(this, EventArgs.Empty);
        _subscribers.Notify();
    }

    /// <summary>
    /// Accounts whose id or owner contains <paramref name="search"/> (case-insensitive), ordered by id.
    /// </summary>
    public AccountPage Search(string? search, int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var term = search?.Trim();
        var matches = _accounts.Values
            .Where(a => string.IsNullOrEmpty(term)
                || a.AccountId.Contains(term, StringComparison.OrdinalIgnoreCase)
                || (a.Owner?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(a => a.AccountId, StringComparer.Ordinal)
            .ToList();
        return new AccountPage(matches.Skip(skip).Take(take).ToList(), matches.Count);
    }
}
