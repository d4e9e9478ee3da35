namespace AuditDashboard.Core.Tests;

public sealed class AccountFoldTests
{
    private static readonly AccountState Opened =
        AccountFold.Evolve(AccountState.Initial("ACC-1"), new AccountOpened("ACC-1", "Ana Lima", "EUR"));

    [Fact]
    public void Evolve_AccountOpened_SetsOwnerCurrencyAndOpenStatus()
    {
        var state = AccountFold.Evolve(AccountState.Initial("ACC-1"), new AccountOpened("ACC-1", "Ana Lima", "EUR"));

        Assert.Equal("Ana Lima", state.Owner);
        Assert.Equal("EUR", state.Currency);
        Assert.Equal(AccountStatus.Open, state.Status);
        Assert.Equal(0m, state.Balance);
    }

    [Fact]
    public void Evolve_DepositsAndWithdrawals_MoveTheBalanceExactly()
    {
        var state = AccountFold.Evolve(Opened, new FundsDeposited(100.10m, "EUR", null));
        state = AccountFold.Evolve(state, new FundsDeposited(0.20m, "EUR", null));
        state = AccountFold.Evolve(state, new FundsWithdrawn(50.05m, "EUR", "TRX-1"));

        Assert.Equal(50.25m, state.Balance);
    }

    [Fact]
    public void Evolve_FreezeUnfreezeClose_FollowsTheStatus()
    {
        var frozen = AccountFold.Evolve(Opened, new AccountFrozen());
        var unfrozen = AccountFold.Evolve(frozen, new AccountUnfrozen());
        var closed = AccountFold.Evolve(unfrozen, new AccountClosed());

        Assert.Equal(AccountStatus.Frozen, frozen.Status);
        Assert.Equal(AccountStatus.Open, unfrozen.Status);
        Assert.Equal(AccountStatus.Closed, closed.Status);
    }

    [Fact]
    public void Evolve_DepositInAnotherCurrency_LeavesTheStateUnchanged()
    {
        var state = AccountFold.Evolve(Opened, new FundsDeposited(10m, "USD", null));

        Assert.Same(Opened, state);
        Assert.NotNull(AccountFold.Inconsistency(Opened, new FundsDeposited(10m, "USD", null)));
    }

    [Fact]
    public void Evolve_DepositBeforeOpening_LeavesTheStateUnchanged()
    {
        var initial = AccountState.Initial("ACC-1");

        var state = AccountFold.Evolve(initial, new FundsDeposited(10m, "EUR", null));

        Assert.Same(initial, state);
    }

    [Fact]
    public void Evolve_SecondOpening_IsInconsistent()
    {
        var problem = AccountFold.Inconsistency(Opened, new AccountOpened("ACC-1", "Someone Else", "USD"));

        Assert.NotNull(problem);
        Assert.Equal("Ana Lima", AccountFold.Evolve(Opened, new AccountOpened("ACC-1", "Someone Else", "USD")).Owner);
    }

    [Fact]
    public void Evolve_IsPure_TheInputStateIsNotModified()
    {
        var before = Opened with { };

        _ = AccountFold.Evolve(Opened, new FundsDeposited(10m, "EUR", null));

        Assert.Equal(before, Opened);
    }
}
