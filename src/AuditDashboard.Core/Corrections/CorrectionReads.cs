namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Where the correction service reads the account a command is about: its timeline, loaded and cached as the pages load
/// it; or, for a long account nobody has loaded, a compact snapshot from its history (see
/// <see cref="AccountHistory.CompactAsync"/>), so posting or deciding a correction never loads a long account whole.
/// Compact reads need the account directory's projection to have caught up (its marks and kept events are complete).
/// </summary>
/// <param name="compactAbove">Accounts of more events than this are read compactly.</param>
public sealed class CorrectionReads(AccountTimelines timelines, AccountHistory history, AccountDirectory directory, long compactAbove)
{
    public AccountHistory History => history;

    /// <summary>Whether the account is read as a compact snapshot: long, not loaded, and the directory caught up.</summary>
    public async Task<bool> ReadsCompactAsync(string accountId, CancellationToken cancellationToken = default) =>
        !timelines.Holds(accountId) && directory.ProjectionIsCaughtUp
        && await directory.FindAsync(accountId, cancellationToken) is { } account && account.EventCount > compactAbove;

    /// <summary>The revision of the account's event <paramref name="eventId"/> in the directory's event index, or null.</summary>
    public Task<long?> RevisionOfAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default) =>
        directory.Store.FindEventRevisionAsync(accountId, eventId, cancellationToken);

    /// <summary>
    /// The revisions a compact snapshot of the account must hold: <paramref name="revisions"/>, and that of the event
    /// <paramref name="about"/> (the one a correction is about) when the event index has it.
    /// </summary>
    public async Task<List<long>> RevisionsWithAsync(string accountId, IEnumerable<long> revisions, Guid? about, CancellationToken cancellationToken = default)
    {
        var wanted = revisions.ToList();
        if (about is { } id && await RevisionOfAsync(accountId, id, cancellationToken) is { } revision)
            wanted.Add(revision);
        return wanted;
    }
}
