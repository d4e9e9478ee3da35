using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Corrections;

/// <summary>
/// The one index of how corrections, proposals and decisions point at each other: what it answers for a history, and
/// that it answers for each snapshot as of that snapshot's revision while the timeline keeps growing.
/// </summary>
public sealed class CorrectionLinksTests
{
    private static readonly RecordedEvent Opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
    private static readonly RecordedEvent Deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
    private static readonly RecordedEvent Withdrawal = Recorded(2, new FundsWithdrawn(30m, "EUR", null));

    [Fact]
    public void ADepositNobodyReversed_MayBeReversed_AndNothingPointsAtIt()
    {
        var timeline = Fold(Opened, Deposit, Withdrawal);

        var links = CorrectionLinks.Of(timeline);

        Assert.True(links.MayReverse(timeline[1]));
        Assert.True(links.MayReverse(timeline[2]));
        Assert.Null(links.ReversalOf(Deposit.EventId));
        Assert.Null(links.CorrectionOf(Deposit.EventId));
        Assert.Null(links.PendingReversalOf(Deposit.EventId));
        Assert.Empty(links.Pending());
        Assert.Equal(2, links.Find(Withdrawal.EventId)?.Revision);
    }

    [Fact]
    public void AReversedDeposit_NamesItsReversal_BothWays_AndMayNotBeReversedAgain()
    {
        var reversal = Recorded(3, new TransactionReversed(Deposit.EventId, 1, -5_000m, "EUR", T0.AddMinutes(1)));
        var timeline = Fold(Opened, Deposit, Withdrawal, reversal);

        var links = CorrectionLinks.Of(timeline);

        Assert.Equal(3, links.ReversalOf(Deposit.EventId)?.Revision);
        Assert.Equal(3, links.CorrectionOf(Deposit.EventId)?.Revision);
        Assert.Equal(1, links.CorrectedBy(timeline[3])?.Revision);
        Assert.False(links.MayReverse(timeline[1]));
        Assert.Equal("Revision 1 was already reversed by revision 3.", links.ReversalRefusal(timeline[1]));
    }

    [Fact]
    public void AnAdjustmentAboutAnEvent_CorrectsIt_ButLeavesItReversible_AndAReversalOutranksIt()
    {
        var adjustment = Recorded(3, new BalanceCorrected(-1.5m, "EUR", Withdrawal.EventId, T0));
        var secondAdjustment = Recorded(4, new BalanceCorrected(-0.5m, "EUR", Withdrawal.EventId, T0));
        var reversal = Recorded(5, new TransactionReversed(Withdrawal.EventId, 2, 30m, "EUR", T0.AddMinutes(2)));

        var adjusted = CorrectionLinks.Of(Fold(Opened, Deposit, Withdrawal, adjustment, secondAdjustment));
        var reversed = CorrectionLinks.Of(Fold(Opened, Deposit, Withdrawal, adjustment, secondAdjustment, reversal));

        Assert.Equal(3, adjusted.CorrectionOf(Withdrawal.EventId)?.Revision);
        Assert.Null(adjusted.ReversalOf(Withdrawal.EventId));
        Assert.True(adjusted.MayReverse(Fold(Opened, Deposit, Withdrawal)[2]));
        Assert.Equal(5, reversed.CorrectionOf(Withdrawal.EventId)?.Revision);
    }

    [Fact]
    public void OnlyDepositsAndWithdrawalsThatMovedMoney_MayBeReversed()
    {
        var foreignCurrency = Recorded(3, new FundsDeposited(10m, "USD", null));
        var timeline = Fold(Opened, Deposit, Withdrawal, foreignCurrency);

        var links = CorrectionLinks.Of(timeline);

        Assert.Equal("Only deposits and withdrawals can be reversed; revision 0 is AccountOpened.", links.ReversalRefusal(timeline[0]));
        Assert.StartsWith("Revision 3 did not move money (it is flagged: ", links.ReversalRefusal(timeline[3]), StringComparison.Ordinal);
        Assert.False(links.MayReverse(timeline[3]));
    }

    [Fact]
    public void APendingReversalProposal_BlocksAnotherReversal_UntilItIsDecided_ButNotItsOwnApproval()
    {
        var proposal = Recorded(3, ProposeReversal(Deposit.EventId));
        var rejection = Recorded(4, new CorrectionRejected(proposal.EventId, 3), Meta("support:bo", "Not a duplicate after all"));
        var timeline = Fold(Opened, Deposit, Withdrawal, proposal, rejection);

        var before = CorrectionLinks.Of(timeline.Take(4).ToList());
        var after = CorrectionLinks.Of(timeline);

        Assert.Equal(3, before.PendingReversalOf(Deposit.EventId)?.Revision);
        Assert.Null(before.PendingReversalOf(Deposit.EventId, except: proposal.EventId));
        Assert.Equal(
            "Revision 1 is already proposed for reversal (revision 3, awaiting approval); approve or reject that proposal first.",
            before.ReversalRefusal(timeline[1]));
        Assert.Null(before.ReversalRefusal(timeline[1], approving: proposal.EventId));
        Assert.Null(before.DecisionOf(proposal.EventId));
        Assert.Null(after.PendingReversalOf(Deposit.EventId));
        Assert.True(after.MayReverse(timeline[1]));
        Assert.Equal(4, after.DecisionOf(proposal.EventId)?.Revision);
        Assert.Empty(after.Pending());
    }

    [Fact]
    public void ADecisionRecordedBeforeItsProposal_DoesNotDecideIt()
    {
        var proposalId = Guid.NewGuid();
        var stray = Recorded(1, new CorrectionApproved(proposalId, 2));
        var proposal = Stored(proposalId, 2, ProposeAdjustment(2_000m));

        var links = CorrectionLinks.Of(Fold(Opened, stray, proposal));

        Assert.Equal(proposalId, Assert.Single(links.Pending()).Record.EventId);
        Assert.Equal(1, links.DecisionOf(proposalId)?.Revision);
    }

    [Fact]
    public void ASnapshot_AnswersAsOfItsOwnRevision_WhileItsTimelineGrows()
    {
        var index = new CorrectionIndex();
        var proposal = Recorded(3, ProposeReversal(Deposit.EventId));
        var approval = Recorded(4, new CorrectionApproved(proposal.EventId, 3), Meta("support:bo"));
        var reversal = Recorded(5, new TransactionReversed(Deposit.EventId, 1, -5_000m, "EUR", T0.AddMinutes(1)));
        var timeline = Fold(Opened, Deposit, Withdrawal, proposal, approval, reversal);
        foreach (var entry in timeline.Take(4))
            index.Add(entry);
        var proposed = index.AsOf(3);

        foreach (var entry in timeline.Skip(4))
            index.Add(entry);
        var approved = index.AsOf(5);

        Assert.Equal(proposal.EventId, Assert.Single(proposed.Pending()).Record.EventId);
        Assert.Null(proposed.DecisionOf(proposal.EventId));
        Assert.Null(proposed.ReversalOf(Deposit.EventId));
        Assert.Null(proposed.Find(reversal.EventId));
        Assert.Empty(approved.Pending());
        Assert.Equal(4, approved.DecisionOf(proposal.EventId)?.Revision);
        Assert.Equal(5, approved.ReversalOf(Deposit.EventId)?.Revision);
        Assert.Null(index.AsOf(null).Find(Opened.EventId));
    }

    [Fact]
    public void AnEventIdStoredTwice_IsFoundAtItsNewestRevision_AsOfEachMoment()
    {
        var again = new RecordedEvent(Deposit.StreamId, 3, 4, Deposit.EventId, Deposit.EventType, Deposit.Data, Deposit.Metadata, T0.AddMinutes(3));

        var index = CorrectionIndex.Of(Fold(Opened, Deposit, Withdrawal, again));

        Assert.Equal(3, index.AsOf(3).Find(Deposit.EventId)?.Revision);
        Assert.Equal(1, index.AsOf(2).Find(Deposit.EventId)?.Revision);
    }

    private static CorrectionProposed ProposeReversal(Guid eventId) =>
        new(AccountEventTypes.TransactionReversed, eventId, 1, -5_000m, "EUR", T0.AddMinutes(1));

    private static CorrectionProposed ProposeAdjustment(decimal amount) =>
        new(AccountEventTypes.BalanceCorrected, null, null, amount, "EUR", T0);

    private static RecordedEvent Stored(Guid eventId, long revision, AccountEvent e)
    {
        var data = AccountEventCodec.Encode(eventId, e, Meta());
        return new RecordedEvent(AccountIds.StreamOf("ACC-1"), revision, revision + 1, data.EventId, data.EventType, data.Data, data.Metadata, T0.AddMinutes(revision));
    }
}
