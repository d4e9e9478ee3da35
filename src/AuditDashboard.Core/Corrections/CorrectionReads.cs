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

    /// <summary>
    /// The account as a compact snapshot when it is read so (long, not loaded, and the directory caught up), holding the
    /// entries at <paramref name="revisions"/> and that of the event <paramref name="about"/> (the one a correction is
    /// about) when the event index has it; null when it is read whole instead.
    /// </summary>
    public async Task<CompactAccount?> CompactAsync(string accountId, IEnumerable<long> revisions, Guid? about, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (!await ReadsCompactAsync(accountId, cancellationToken))
            return null;
        var wanted = revisions.ToList();
        if (about is { } id && await RevisionOfAsync(accountId, id, cancellationToken) is { } revision)
            wanted.Add(revision);
        return new CompactAccount(wanted, await history.CompactAsync(accountId, wanted, cancellationToken));
    }

    private async Task<bool> ReadsCompactAsync(string accountId, CancellationToken cancellationToken) =>
        !timelines.Holds(accountId) && directory.ProjectionIsCaughtUp
        && await directory.FindAsync(accountId, cancellationToken) is { } account && account.EventCount > compactAbove;

    /// <summary>The revision of the account's event <paramref name="eventId"/> in the directory's event index, or null.</summary>
    public Task<long?> RevisionOfAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default) =>
        directory.Store.FindEventRevisionAsync(accountId, eventId, cancellationToken);
}

/// <summary>
/// A compact snapshot of an account (null when it has no events) and the revisions it was asked to hold, which a later
/// read of it asks for again.
/// </summary>
public sealed record CompactAccount(List<long> Revisions, TimelineSnapshot? Snapshot);
