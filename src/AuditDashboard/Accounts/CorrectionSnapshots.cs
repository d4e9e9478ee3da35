namespace AuditDashboard.Accounts;

/// <summary>
/// The account a correction dialog previews a correction on: its loaded timeline; or, for a long account nobody has
/// loaded (see <see cref="CorrectionReads"/>), a compact snapshot of it with its latest balance as corrected, so opening
/// a dialog never loads a long account whole.
/// </summary>
public sealed class CorrectionSnapshots(AccountTimelines timelines, CorrectionReads? reads = null, AccountReplays? replays = null)
{
    /// <summary>
    /// The account as it is now, holding at least the entries at <paramref name="revisions"/> and the event
    /// <paramref name="about"/> (the event a correction is about, by revision when known, else by id); null when it
    /// has no events.
    /// </summary>
    public async Task<CorrectionAccount?> OpenAsync(string accountId, IEnumerable<long> revisions, Guid? about = null, CancellationToken cancellationToken = default)
    {
        if (reads is not null && replays is not null && await reads.CompactAsync(accountId, revisions, about, cancellationToken) is { } read)
        {
            if (read.Snapshot is not { Current.Revision: { } last } compact
                || await replays.OpenAsync(accountId, last, ReplayView.Corrected, cancellationToken) is not { Count: > 0 } corrected)
            {
                return null;
            }

            var latest = await corrected.AtAsync(corrected.Count - 1, cancellationToken);
            return new CorrectionAccount(compact, latest.State.Balance);
        }

        return await timelines.GetAsync(accountId, cancellationToken) is { } timeline ? new CorrectionAccount(timeline.Snapshot, null) : null;
    }
}

/// <summary>
/// An account as a correction dialog shows it: the whole timeline (<paramref name="CorrectedBalance"/> null), or a compact
/// snapshot of a long account with its latest balance as corrected, which the snapshot alone cannot give.
/// </summary>
public sealed record CorrectionAccount(TimelineSnapshot Snapshot, decimal? CorrectedBalance);
