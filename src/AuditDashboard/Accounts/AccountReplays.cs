namespace AuditDashboard.Accounts;

/// <summary>
/// An account's replay in a view, as it was at a revision, for a reader that is not a page (an endpoint, an export):
/// read a window at a time from the account's marks (and its few corrections, as corrected) once the directory's
/// projection has caught up; before, from the timeline loaded whole.
/// </summary>
public sealed class AccountReplays(AccountHistory history, AccountDirectory directory, AccountTimelines timelines)
{
    /// <summary>The replay of the account's events up to <paramref name="lastRevision"/>, or null when it has none.</summary>
    public async Task<IReplaySource?> OpenAsync(string accountId, long lastRevision, ReplayView view, CancellationToken cancellationToken = default)
    {
        if (directory.ProjectionIsCaughtUp)
        {
            if (await history.AtRevisionAsync(accountId, lastRevision, cancellationToken) is not { } latest)
                return null;
            return await CorrectedMarkedReplay.InViewAsync(history, new MarkedReplay(history, latest, directory.MarkInterval), view, cancellationToken);
        }

        if (await timelines.GetAsync(accountId, cancellationToken) is not { } timeline)
            return null;

        // The timeline may already hold events appended after the revision asked for.
        var snapshot = timeline.Snapshot;
        IReadOnlyList<TimelineEntry> entries = snapshot.Count <= lastRevision + 1 ? snapshot : [.. snapshot.Take((int)(lastRevision + 1))];
        return AccountReplay.Of(accountId, entries, view);
    }
}
