namespace AuditDashboard.Core.Accounts;

/// <summary>The pure fold of account events into <see cref="AccountState"/>.</summary>
public static class AccountFold
{
    /// <summary>
    /// What <paramref name="accountEvent"/> does to the account. An event that cannot apply to
    /// <paramref name="state"/> (see <see cref="Inconsistency"/>) leaves it unchanged: a stored fact is never
    /// rejected, but one bad event must not skew the balance either.
    /// </summary>
    public static AccountState Evolve(AccountState state, AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Inconsistency(state, accountEvent) is not null)
            return state;

        return accountEvent switch
        {
            AccountOpened o => state with { Owner = o.Owner, Currency = o.Currency, Status = AccountStatus.Open },
            FundsDeposited d => state with { Balance = state.Balance + d.Amount },
            FundsWithdrawn w => state with { Balance = state.Balance - w.Amount },
            TransactionReversed r => state with { Balance = state.Balance + r.Amount },
            BalanceCorrected c => state with { Balance = state.Balance + c.Amount },
            AccountFrozen => state with { Status = AccountStatus.Frozen },
            AccountUnfrozen => state with { Status = AccountStatus.Open },
            AccountClosed => state with { Status = AccountStatus.Closed },
            _ => state,
        };
    }

    /// <summary><see cref="Evolve"/>, plus the one fact that needs the event's time: when the account was opened.</summary>
    public static AccountState EvolveAt(AccountState state, AccountEvent accountEvent, DateTimeOffset at)
    {
        var next = Evolve(state, accountEvent);
        return accountEvent is AccountOpened && state.Status == AccountStatus.NotOpened && next.Status == AccountStatus.Open
            ? next with { OpenedAt = at }
            : next;
    }

    /// <summary>Why <paramref name="accountEvent"/> cannot apply to <paramref name="state"/>, or null when it can.</summary>
    public static string? Inconsistency(AccountState state, AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(accountEvent);
        return accountEvent switch
        {
            AccountOpened when state.Status != AccountStatus.NotOpened => "The account was already opened.",
            AccountOpened => null,
            _ when state.Status == AccountStatus.NotOpened => "The account has not been opened yet.",
            FundsDeposited d when !SameCurrency(state, d.Currency) => $"Currency {d.Currency} differs from the account's {state.Currency}.",
            FundsWithdrawn w when !SameCurrency(state, w.Currency) => $"Currency {w.Currency} differs from the account's {state.Currency}.",
            TransactionReversed r when !SameCurrency(state, r.Currency) => $"Currency {r.Currency} differs from the account's {state.Currency}.",
            BalanceCorrected c when !SameCurrency(state, c.Currency) => $"Currency {c.Currency} differs from the account's {state.Currency}.",
            CorrectionProposed p when !SameCurrency(state, p.Currency) => $"Currency {p.Currency} differs from the account's {state.Currency}.",
            _ => null,
        };
    }

    private static bool SameCurrency(AccountState state, string currency) =>
        string.Equals(state.Currency, currency, StringComparison.OrdinalIgnoreCase);
}
