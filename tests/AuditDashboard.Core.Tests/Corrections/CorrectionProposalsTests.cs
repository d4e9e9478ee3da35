using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Corrections;

public sealed class CorrectionProposalsTests
{
    [Fact]
    public void Subscribers_HearOfEachProposalAndDecision_NotOfARepeatOrOfOtherEvents()
    {
        var proposals = new CorrectionProposals();
        var pendingSeen = new List<int>();
        using var subscription = proposals.Subscribe(() =>
        {
            pendingSeen.Add(proposals.PendingCount);
            return Task.CompletedTask;
        });
        var proposal = Recorded(2, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 2_000m, "EUR", T0), Meta("support:sam"));
        var approval = Recorded(3, new CorrectionApproved(proposal.EventId, 2), Meta("support:bo"));

        proposals.Apply("ACC-1", Recorded(1, new FundsDeposited(5m, "EUR", null)));
        proposals.Apply("ACC-1", proposal);
        proposals.Apply("ACC-1", proposal);
        proposals.Apply("ACC-1", approval);

        Assert.Equal([1, 0], pendingSeen);
    }
}
