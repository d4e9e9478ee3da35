using System.Collections.Concurrent;

namespace AuditDashboard.Auth;

/// <summary>
/// Counts failed sign-ins per user name and locks a name out for a while after too many (see <see cref="LockoutOptions"/>).
/// Any name that is tried counts, known or not, so a lockout reveals nothing about which names exist.
/// Kept in memory: a restart forgets failures and lockouts, which costs an attacker one restart per few guesses at most
/// (the rate limits still hold); with several instances each would count its own, until this moves to the shared store.
/// </summary>
public sealed class SignInLockout(IOptions<LockoutOptions> options, TimeProvider time)
{
    // Beyond this many names, forgotten ones are swept, so a flood of made-up names cannot grow memory without bound.
    private const int SweepAbove = 10_000;

    private readonly LockoutOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, NameState> _names = new(StringComparer.Ordinal);

    /// <summary>When the lockout of <paramref name="userName"/> ends, if it is locked out now.</summary>
    public DateTimeOffset? LockedUntil(string userName)
    {
        if (!_names.TryGetValue(Key(userName), out var state))
            return null;
        lock (state)
            return state.LockedUntil is { } until && until > time.GetUtcNow() ? until : null;
    }

    /// <summary>Counts a failure; returns when the lockout it started ends, or null when it started none.</summary>
    public DateTimeOffset? RecordFailure(string userName)
    {
        var now = time.GetUtcNow();
        if (_names.Count > SweepAbove)
            Sweep(now);

        var state = _names.GetOrAdd(Key(userName), _ => new NameState());
        lock (state)
        {
            if (state.LockedUntil > now)
                return null;
            state.Failures.Enqueue(now);
            while (state.Failures.TryPeek(out var oldest) && oldest <= now - _options.Window)
                state.Failures.Dequeue();
            if (state.Failures.Count < _options.MaxFailures)
                return null;

            state.Failures.Clear();
            state.LockedUntil = now + _options.Duration;
            return state.LockedUntil;
        }
    }

    /// <summary>A successful sign-in forgets the name's earlier failures.</summary>
    public void Reset(string userName) => _names.TryRemove(Key(userName), out _);

    private static string Key(string userName) => userName.Trim().ToLowerInvariant();

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (name, state) in _names)
        {
            lock (state)
            {
                var forgotten = !(state.LockedUntil > now) && state.Failures.All(failure => failure <= now - _options.Window);
                if (forgotten)
                    _names.TryRemove(name, out _);
            }
        }
    }

    private sealed class NameState
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
