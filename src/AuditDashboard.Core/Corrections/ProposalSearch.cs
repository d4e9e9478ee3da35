namespace AuditDashboard.Core.Corrections;

/// <summary>Finds proposals and their decisions in an account's timeline, through its <see cref="CorrectionLinks"/>.</summary>
public static class ProposalSearch
{
    /// <summary>The proposals of <paramref name="timeline"/> that no approval or rejection has decided yet, oldest first.</summary>
    public static IReadOnlyList<TimelineEntry> Pending(IReadOnlyList<TimelineEntry> timeline) => CorrectionLinks.Of(timeline).Pending();

    /// <summary>The approval or rejection of <paramref name="proposalId"/>, or null while it is pending.</summary>
    public static TimelineEntry? DecisionOf(IReadOnlyList<TimelineEntry> timeline, Guid proposalId) => CorrectionLinks.Of(timeline).DecisionOf(proposalId);

    /// <summary>The entry whose event id is <paramref name="eventId"/>, the newest should the stream hold it twice.</summary>
    public static TimelineEntry? FindEvent(IReadOnlyList<TimelineEntry> timeline, Guid eventId) => CorrectionLinks.Of(timeline).Find(eventId);
}
