namespace AuditDashboard.Core.Tests.Replay;

public sealed class StateDiffTests
{
    private static readonly AccountState Open = AccountState.Initial("ACC-1") with
    {
        Owner = "Ana Lima", Currency = "EUR", Balance = 1_234.5m, Status = AccountStatus.Open, Revision = 3, EventCount = 4,
    };

    [Fact]
    public void Between_EqualStates_ListsNothing()
    {
        Assert.Empty(StateDiff.Between(Open, Open with { }));
    }

    [Fact]
    public void Between_StatesThatDifferOnlyInRevisionAndTimes_ListsNothing()
    {
        var later = Open with { Revision = 9, EventCount = 10, LastChangedAt = DateTimeOffset.UnixEpoch };

        Assert.Empty(StateDiff.Between(Open, later));
    }

    [Fact]
    public void Between_ADeposit_ListsTheBalanceFormattedInTheCurrency()
    {
        var changes = StateDiff.Between(Open, Open with { Balance = 1_334.5m });

        Assert.Equal([new FieldChange("Balance", "1,234.50 EUR", "1,334.50 EUR")], changes);
    }

    [Fact]
    public void Between_ABalanceInACurrencyWithoutMinorUnits_ShowsNoDecimals()
    {
        var yen = Open with { Currency = "JPY", Balance = 5_000m };

        var changes = StateDiff.Between(yen, yen with { Balance = 4_000m });

        Assert.Equal([new FieldChange("Balance", "5,000 JPY", "4,000 JPY")], changes);
    }

    [Fact]
    public void Between_AFreeze_ListsOnlyTheStatus()
    {
        var changes = StateDiff.Between(Open, Open with { Status = AccountStatus.Frozen });

        Assert.Equal([new FieldChange("Status", "Open", "Frozen")], changes);
    }

    [Fact]
    public void Between_SeveralFieldsChanged_ListsEachFieldOnce_StatusOwnerCurrencyThenBalance()
    {
        var after = Open with { Status = AccountStatus.Closed, Owner = "Ana Lima-Souza", Currency = "CHF", Balance = 0m };

        var changes = StateDiff.Between(Open, after);

        Assert.Equal(
            [
                new FieldChange("Status", "Open", "Closed"),
                new FieldChange("Owner", "Ana Lima", "Ana Lima-Souza"),
                new FieldChange("Currency", "EUR", "CHF"),
                new FieldChange("Balance", "1,234.50 EUR", "0.00 CHF"),
            ],
            changes);
    }

    [Fact]
    public void Between_BeforeTheAccountExistedAndAfterAFirstDeposit_ShowsTheMissingFieldsAsDashes()
    {
        var changes = StateDiff.Between(AccountState.Initial("ACC-1"), Open);

        Assert.Equal(
            [
                new FieldChange("Status", "Not opened", "Open"),
                new FieldChange("Owner", "—", "Ana Lima"),
                new FieldChange("Currency", "—", "EUR"),
                new FieldChange("Balance", "0.00 EUR", "1,234.50 EUR"),
            ],
            changes);
    }

    [Fact]
    public void Between_TakenTheOtherWayRound_SwapsBeforeAndAfter()
    {
        var after = Open with { Status = AccountStatus.Frozen, Balance = 10m };

        var forwards = StateDiff.Between(Open, after);
        var backwards = StateDiff.Between(after, Open);

        Assert.Equal(forwards.Select(c => new FieldChange(c.Field, c.After, c.Before)), backwards);
    }

    [Fact]
    public void Between_InitialAndAnOpenedAccountWithNothingInIt_ListsNoBalanceChange()
    {
        var initial = AccountState.Initial("ACC-1");
        var opened = AccountFold.Evolve(initial, new AccountOpened("ACC-1", "Ana Lima", "EUR"));

        var changes = StateDiff.Between(initial, opened);

        Assert.Equal(["Status", "Owner", "Currency"], changes.Select(c => c.Field));
    }
}
