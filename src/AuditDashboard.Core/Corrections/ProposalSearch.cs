using AuditDashboard.Accounts;

namespace AuditDashboard.Corrections;

/// <summary>Finds proposals and their decisions in an account's timeline.</summary>
public static class ProposalSearch
{
    /// <summary>The proposals of <paramref name="timeline"/> that no approval or rejection has decided yet, oldest first.</summary>
    public static IReadOnlyList<TimelineEntry> Pending(IReadOnlyList<TimelineEntry> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var open = new Dictionary<Guid, TimelineEntry>();
        var order = new List<Guid>();
        foreach (var entry in timeline)
        {
            switch (entry.Event)
            {
                case CorrectionProposed:
                    open[entry.Record.EventId] = entry;
                    order.Add(entry.Record.EventId);
                    break;
                case CorrectionApproved a:
                    open.Remove(a.ProposalId);
                    break;
                case CorrectionRejected r:
                    open.Remove(r.ProposalId);
                    break;
            }
        }

        return order.Where(open.ContainsKey).Select(id => open[id]).ToList();
    }

    /// <summary>The approval or rejection of <paramref name="proposalId"/>, or null while it is pending.</summary>
    public static TimelineEntry? DecisionOf(IReadOnlyList<TimelineEntry> timeline, Guid proposalId)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        foreach (var entry in timeline)
        {
            if (entry.Event is CorrectionApproved a && a.ProposalId == proposalId || entry.Event is CorrectionRejected r && r.ProposalId == proposalId)
                return entry;
        }

        return null;
    }

    /// <summary>The entry whose event id is <paramref name="eventId"/>, searching from the newest.</summary>
    public static TimelineEntry? FindEvent(IReadOnlyList<TimelineEntry> timeline, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        for (var i = timeline.Count - 1; i >= 0; i--)
        {
            if (timeline[i].Record.EventId == eventId)
                return timeline[i];
        }

        return null;
    }
}
