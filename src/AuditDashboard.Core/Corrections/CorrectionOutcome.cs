namespace AuditDashboard.Core.Corrections;

/// <summary>What became of a correction command.</summary>
public abstract record CorrectionOutcome
{
    private CorrectionOutcome()
    {
    }

    /// <summary>The correction was written (or had been, by an earlier try of the same command) at <paramref name="Revision"/>.</summary>
    public sealed record Written(long Revision, AccountEvent Correction) : CorrectionOutcome;

    /// <summary>
    /// The correction is above the approval threshold (alone, or with its author's other corrections within the window,
    /// as <paramref name="Approval"/> explains; null when an earlier try wrote it): a proposal was written at
    /// <paramref name="Revision"/> (or had been, by an earlier try), and the correction waits for a second Support user.
    /// </summary>
    public sealed record Proposed(long Revision, CorrectionProposed Proposal, ApprovalCheck? Approval = null) : CorrectionOutcome;

    /// <summary>
    /// Nothing was written: the command id already wrote another command's event, revision <paramref name="Revision"/>
    /// of <paramref name="AccountId"/> (command ids are unique in the whole ledger).
    /// </summary>
    public sealed record CommandReused(Guid CommandId, string AccountId, long Revision) : CorrectionOutcome;

    /// <summary>Nothing was written: the request breaks the rules, by field.</summary>
    public sealed record Refused(IReadOnlyDictionary<string, string[]> Errors) : CorrectionOutcome;

    /// <summary>Nothing was written: the account changed since <paramref name="ExpectedRevision"/>; these are the events since.</summary>
    public sealed record Conflict(long ExpectedRevision, long? ActualRevision, IReadOnlyList<TimelineEntry> NewEvents) : CorrectionOutcome;

    /// <summary>There is no such account.</summary>
    public sealed record NotFound : CorrectionOutcome;
}
