using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

public sealed class TimelineEntryTests
{
    [Fact]
    public void Next_KnownEvents_KeepTheStateAfterEachAndTheRecordedTimes()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(100m, "EUR", null)),
            Recorded(2, new FundsWithdrawn(30m, "EUR", null)));

        Assert.Equal([0m, 100m, 70m], entries.Select(e => e.StateAfter.Balance));
        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.StateAfter.Revision!.Value));
        Assert.Equal(T0, entries[^1].StateAfter.OpenedAt);
        Assert.Equal(T0.AddMinutes(2), entries[^1].StateAfter.LastChangedAt);
        Assert.Equal(3, entries[^1].StateAfter.EventCount);
        Assert.All(entries, e => Assert.Equal(EntryWarning.None, e.Warning));
        Assert.Equal(-30m, entries[2].Amount);
        Assert.Equal("teller:ana", entries[2].Metadata!.Actor);
    }

    [Fact]
    public void Next_UnknownEventType_IsFlaggedAndLeavesTheBalance()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(100m, "EUR", null)),
            Raw(2, "LoyaltyPointsGranted", """{"points":40}"""),
            Recorded(3, new FundsDeposited(1m, "EUR", null)));

        Assert.Equal(EntryWarning.UnknownType, entries[2].Warning);
        Assert.Null(entries[2].Event);
        Assert.Equal(100m, entries[2].StateAfter.Balance);
        Assert.Equal(2, entries[2].StateAfter.Revision);
        Assert.Equal(101m, entries[3].StateAfter.Balance);
    }

    [Theory]
    [InlineData("""{"amount":"12.5","currency":"EUR"}""")]
    [InlineData("""{"amount":12.5,"currency":"EUR" """)]
    [InlineData("not json at all")]
    [InlineData("""{"amount":-5,"currency":"EUR"}""")]
    [InlineData("""{"amount":5,"currency":"euro"}""")]
    [InlineData("null")]
    public void Next_DepositWhoseDataIsBroken_IsFlaggedUnreadableAndLeavesTheBalance(string data)
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Raw(1, AccountEventTypes.FundsDeposited, data));

        Assert.Equal(EntryWarning.Unreadable, entries[1].Warning);
        Assert.False(string.IsNullOrWhiteSpace(entries[1].Problem));
        Assert.Equal(0m, entries[1].StateAfter.Balance);
        Assert.Equal("a", entries[1].Metadata?.Actor);
    }

    [Fact]
    public void Next_EventWithUnreadableMetadata_AppliesButIsFlagged()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Raw(1, AccountEventTypes.FundsDeposited, """{"amount":5,"currency":"EUR"}""", metadata: "{oops"));

        Assert.Equal(EntryWarning.MetadataUnreadable, entries[1].Warning);
        Assert.Null(entries[1].Metadata);
        Assert.Equal(5m, entries[1].StateAfter.Balance);
    }

    [Fact]
    public void Next_DepositInAnotherCurrency_IsFlaggedInconsistent()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(5m, "USD", null)));

        Assert.Equal(EntryWarning.Inconsistent, entries[1].Warning);
        Assert.Contains("USD", entries[1].Problem, StringComparison.Ordinal);
        Assert.Equal(0m, entries[1].StateAfter.Balance);
    }
}
