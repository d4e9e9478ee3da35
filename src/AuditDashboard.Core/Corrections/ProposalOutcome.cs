namespace AuditDashboard.Core.Corrections;

/// <summary>What became of an approval or a rejection.</summary>
public abstract record ProposalOutcome
{
    private ProposalOutcome()
    {
    }

    /// <summary>Approved at <paramref name="ApprovalRevision"/>; the correction was written in the same append, at <paramref name="CorrectionRevision"/>.</summary>
    public sealed record Approved(long ApprovalRevision, long CorrectionRevision, AccountEvent Correction) : ProposalOutcome;

    /// <summary>Rejected at <paramref name="Revision"/>; nothing was corrected.</summary>
    public sealed record Rejected(long Revision) : ProposalOutcome;

    /// <summary>Nothing was written: the command is not valid, or the correction breaks the rules as the account is now.</summary>
    public sealed record Refused(IReadOnlyDictionary<string, string[]> Errors) : ProposalOutcome;

    /// <summary>Nothing was written: the approver proposed it; four eyes means another Support user must approve.</summary>
    public sealed record OwnProposal(string Proposer) : ProposalOutcome;

    /// <summary>Nothing was written: the proposal was already approved or rejected, by <paramref name="Decision"/>.</summary>
    public sealed record AlreadyDecided(TimelineEntry Decision) : ProposalOutcome;

    /// <summary>Nothing was written: the account kept changing while the decision was being written; try again.</summary>
    public sealed record Conflict(long? ActualRevision) : ProposalOutcome;

    /// <summary>There is no such account, or it has no such proposal.</summary>
    public sealed record NotFound(string Message) : ProposalOutcome;
}
