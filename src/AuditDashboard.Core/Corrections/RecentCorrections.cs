using System.Collections.Concurrent;

namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Each user's corrections of the last hours on every account, as they count against the approval limits (see
/// <see cref="CorrectionRules.CountedAmount"/>): the read model behind the limit across accounts, so the check never
/// reads other accounts' streams. The ledger feed loads it at a start from what the read-model store keeps and fills it
/// from the log after that; the correction service adds what it writes at once. Only corrections recorded within <c>keep</c> of now are held.
/// </summary>
public sealed class RecentCorrections(TimeProvider clock, TimeSpan keep)
{
    private readonly ConcurrentDictionary<string, ActorCorrections> _byActor = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>From when corrections are held: <c>keep</c> before now.</summary>
    public DateTimeOffset HeldSince => clock.GetUtcNow() - keep;

    /// <summary>Takes in one more event of the account; only corrections written without approval, recorded within the window, matter.</summary>
    public void Apply(string accountId, RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(record);
        if (!AccountEventTypes.Corrections.Contains(record.EventType) || record.Created < clock.GetUtcNow() - keep)
            return;

        var decoded = AccountEventCodec.Decode(record);
        var amount = decoded.Warning == EntryWarning.None ? CorrectionRules.CountedAmount(decoded.Event, decoded.Metadata) : 0m;
        var currency = decoded.Event switch
        {
            TransactionReversed r => r.Currency,
            BalanceCorrected c => c.Currency,
            _ => null,
        };
        if (amount == 0m || currency is null || decoded.Metadata is not { } metadata)
            return;

        _byActor.GetOrAdd(metadata.Actor, _ => new ActorCorrections())
            .Add(record.EventId, new Counted(accountId, currency, amount, record.Created));
    }

    /// <summary>
    /// The sum of <paramref name="actor"/>'s corrections in <paramref name="currency"/> recorded at or after
    /// <paramref name="since"/>, on every account but <paramref name="exceptAccount"/> (whose own stream the caller reads).
    /// </summary>
    public decimal Total(string actor, string currency, DateTimeOffset since, string? exceptAccount = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(currency);
        return _byActor.TryGetValue(actor, out var corrections)
            ? corrections.Total(currency, since, exceptAccount, clock.GetUtcNow() - keep)
            : 0m;
    }

    private sealed record Counted(string AccountId, string Currency, decimal Amount, DateTimeOffset Recorded);

    private sealed class ActorCorrections
    {
        private readonly Dictionary<Guid, Counted> _byEvent = [];

        public void Add(Guid eventId, Counted counted)
        {
            lock (_byEvent)
                _byEvent.TryAdd(eventId, counted);
        }

        public decimal Total(string currency, DateTimeOffset since, string? exceptAccount, DateTimeOffset forgetBefore)
        {
            lock (_byEvent)
            {
                // Forget what no window reaches any more, so memory holds hours of corrections, not the whole ledger's.
                foreach (var id in _byEvent.Where(p => p.Value.Recorded < forgetBefore).Select(p => p.Key).ToList())
                    _byEvent.Remove(id);

                return _byEvent.Values
                    .Where(c => c.Recorded >= since && string.Equals(c.Currency, currency, StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(c.AccountId, exceptAccount, StringComparison.Ordinal))
                    .Sum(c => c.Amount);
            }
        }
    }
}
