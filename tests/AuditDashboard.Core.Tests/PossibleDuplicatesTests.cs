using FsCheck.Xunit;
using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

/// <summary>A deposit or withdrawal repeating an earlier one's reference, amount and currency within the window is flagged; nothing else is.</summary>
public sealed class PossibleDuplicatesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public void TheSamePaymentPostedTwiceWithinTheWindow_FlagsTheLaterOne_WithTheEarlierAsItsOriginal()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(100m, "EUR", "TRX-1")),
            Recorded(2, new FundsDeposited(100m, "EUR", "TRX-1")),
            Recorded(3, new FundsDeposited(100m, "EUR", "TRX-1")));

        var found = PossibleDuplicates.Among([], entries, Window);

        Assert.Equal(2, found.Count);
        Assert.Null(found.OriginalOf(1));
        Assert.Equal(1, found.OriginalOf(2)?.Revision);
        Assert.Equal(1, found.OriginalOf(3)?.Revision);
        Assert.Equal([1L, 2L], found.OriginalsOf(3).Select(e => e.Revision));
        Assert.Empty(found.OriginalsOf(1));
    }

    [Fact]
    public void AnotherAmount_AnotherCurrency_AnotherDirection_NoReference_OrACorrection_IsNoDuplicate()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(100m, "EUR", "TRX-1")),
            Recorded(2, new FundsDeposited(100.01m, "EUR", "TRX-1")),
            Recorded(3, new FundsWithdrawn(100m, "EUR", "TRX-1")),
            Recorded(4, new FundsDeposited(50m, "EUR", null)),
            Recorded(5, new FundsDeposited(50m, "EUR", null)),
            Recorded(6, new FundsDeposited(50m, "EUR", "")),
            Recorded(7, new FundsDeposited(50m, "EUR", "")),
            Recorded(8, new TransactionReversed(Guid.NewGuid(), 1, -100m, "EUR", T0.AddMinutes(1))),
            Recorded(9, new TransactionReversed(Guid.NewGuid(), 1, -100m, "EUR", T0.AddMinutes(1))),
            Recorded(10, new FundsDeposited(100m, "CHF", "TRX-1")));

        var found = PossibleDuplicates.Among([], entries, Window);

        Assert.Equal(0, found.Count);
        Assert.Equal(EntryWarning.Inconsistent, entries[10].Warning); // a franc deposit on a euro account did not apply
    }

    [Fact]
    public void PostingsFurtherApartThanTheWindow_AreNoDuplicates_AtTheWindowTheyAre()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(10m, "EUR", "TRX-1")),
            Recorded(6, new FundsDeposited(10m, "EUR", "TRX-1")),
            Recorded(12, new FundsDeposited(10m, "EUR", "TRX-1")));

        var found = PossibleDuplicates.Among([], entries, Window);

        Assert.Equal(1, found.OriginalOf(6)?.Revision); // 5 minutes after revision 1
        Assert.Null(found.OriginalOf(12)); // 6 minutes after revision 6, 11 after revision 1
    }

    [Fact]
    public void AnEventOnTheEarlierPage_IsSeen_ButNotFlaggedItself()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsWithdrawn(20m, "EUR", "TRX-9")),
            Recorded(2, new FundsWithdrawn(20m, "EUR", "TRX-9")),
            Recorded(3, new FundsWithdrawn(20m, "EUR", "TRX-9")));

        var found = PossibleDuplicates.Among(entries[..2], entries[2..], Window);

        Assert.Null(found.OriginalOf(1));
        Assert.Equal(1, found.OriginalOf(2)?.Revision);
        Assert.Equal(1, found.OriginalOf(3)?.Revision);
        Assert.Equal(2, found.Count);
    }

    // Each step: a reference (3), an amount (2), a direction, and minutes since the last event (0-7).
    [Property(MaxTest = 300)]
    public bool FlagsExactlyTheMovementsThatRepeatAnEarlierOneWithinTheWindow_WhereverThePageStarts(int[] steps, int cut)
    {
        var entries = new List<TimelineEntry>();
        var state = AccountState.Initial("ACC-1");
        var at = T0;
        var opened = TimelineEntry.Next(state, Stored(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"), at));
        entries.Add(opened);
        state = opened.StateAfter;
        foreach (var step in steps ?? [])
        {
            var bits = step & int.MaxValue;
            var reference = $"TRX-{bits % 3}";
            var amount = 1_000m + (bits / 3 % 2);
            at = at.AddMinutes(bits / 12 % 8);
            AccountEvent e = bits / 6 % 2 == 0 ? new FundsDeposited(amount, "EUR", reference) : new FundsWithdrawn(amount, "EUR", reference);
            var entry = TimelineEntry.Next(state, Stored(entries.Count, e, at));
            entries.Add(entry);
            state = entry.StateAfter;
        }

        var split = Math.Clamp(cut & int.MaxValue, 0, entries.Count);
        var found = PossibleDuplicates.Among(entries[..split], entries[split..], Window);

        for (var i = 0; i < entries.Count; i++)
        {
            var expected = i < split ? null : entries.Take(i).FirstOrDefault(e =>
                e.Event?.GetType() == entries[i].Event?.GetType() && entries[i].Event is FundsDeposited or FundsWithdrawn
                && e.Reference == entries[i].Reference && e.Amount == entries[i].Amount
                && entries[i].Recorded - e.Recorded <= Window);
            if (found.OriginalOf(entries[i].Revision)?.Revision != expected?.Revision)
                return false;
        }

        return true;
    }

    private static RecordedEvent Stored(long revision, AccountEvent e, DateTimeOffset at)
    {
        var data = AccountEventCodec.Encode(Guid.NewGuid(), e, Meta());
        return new RecordedEvent(AccountIds.StreamOf("ACC-1"), revision, revision + 1, data.EventId, data.EventType, data.Data, data.Metadata, at);
    }
}
