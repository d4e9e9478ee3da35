namespace AuditDashboard.Components.Pages.Accounts.Corrections;

/// <summary>
/// An account's balance now and after a correction, in both time views, with the corrected replay after it (null for a
/// compact snapshot of a long account, whose corrected balance is given).
/// </summary>
public sealed record CorrectionPreview(
    TimelineSnapshot Account, AccountEvent Correction, decimal RecordedBefore, decimal RecordedAfter, decimal CorrectedBefore, decimal CorrectedAfter, AccountReplay? CorrectedReplay)
{
    /// <summary>
    /// Folds the decided correction onto <paramref name="snapshot"/> as if it were appended at <paramref name="now"/>;
    /// nothing is written. For a compact snapshot, <paramref name="correctedBalance"/> is the account's latest balance as
    /// corrected: a correction moves the corrected balance as it moves the recorded one (it changes the balance alone,
    /// wherever it takes effect once the account is open), so no replay of the whole account is needed.
    /// </summary>
    public static CorrectionPreview Of(string accountId, TimelineSnapshot snapshot, CorrectionDecision decision, DateTimeOffset now, decimal? correctedBalance = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(decision);
        var last = snapshot[^1];
        var record = AccountEventCodec.Encode(Guid.Empty, decision.Correction!, new EventMetadata("preview", "preview", "preview", null, "preview"));
        var hypothetical = new RecordedEvent(last.Record.StreamId, last.Revision + 1, last.Record.Position + 1, Guid.Empty, record.EventType,
            record.Data, record.Metadata, now);
        var written = TimelineEntry.Next(last.StateAfter, hypothetical);
        if (correctedBalance is { } corrected)
        {
            var moved = written.StateAfter.Balance - snapshot.Current.Balance;
            return new CorrectionPreview(snapshot, decision.Correction!, snapshot.Current.Balance, written.StateAfter.Balance, corrected, corrected + moved, null);
        }

        var after = new List<TimelineEntry>(snapshot) { written };
        var correctedBefore = AccountReplay.Of(accountId, snapshot, ReplayView.Corrected);
        var correctedAfter = AccountReplay.Of(accountId, after, ReplayView.Corrected);
        return new CorrectionPreview(snapshot, decision.Correction!, snapshot.Current.Balance, written.StateAfter.Balance,
            correctedBefore.Latest.State.Balance, correctedAfter.Latest.State.Balance, correctedAfter);
    }
}
