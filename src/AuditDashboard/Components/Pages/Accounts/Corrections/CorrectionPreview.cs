namespace AuditDashboard.Components.Pages.Accounts.Corrections;

/// <summary>An account's balance now and after a correction, in both time views, with the corrected replay after it.</summary>
public sealed record CorrectionPreview(
    TimelineSnapshot Account, AccountEvent Correction, decimal RecordedBefore, decimal RecordedAfter, decimal CorrectedBefore, decimal CorrectedAfter, AccountReplay CorrectedReplay)
{
    /// <summary>Folds the decided correction onto <paramref name="snapshot"/> as if it were appended at <paramref name="now"/>; nothing is written.</summary>
    public static CorrectionPreview Of(string accountId, TimelineSnapshot snapshot, CorrectionDecision decision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(decision);
        var last = snapshot[^1];
        var record = AccountEventCodec.Encode(Guid.Empty, decision.Correction!, new EventMetadata("preview", "preview", "preview", null, "preview"));
        var hypothetical = new RecordedEvent(last.Record.StreamId, last.Revision + 1, last.Record.Position + 1, Guid.Empty, record.EventType,
            record.Data, record.Metadata, now);
        var after = new List<TimelineEntry>(snapshot) { TimelineEntry.Next(last.StateAfter, hypothetical) };
        var correctedBefore = AccountReplay.Of(accountId, snapshot, ReplayView.Corrected);
        var correctedAfter = AccountReplay.Of(accountId, after, ReplayView.Corrected);
        return new CorrectionPreview(snapshot, decision.Correction!, snapshot.Current.Balance, after[^1].StateAfter.Balance,
            correctedBefore.Latest.State.Balance, correctedAfter.Latest.State.Balance, correctedAfter);
    }
}
