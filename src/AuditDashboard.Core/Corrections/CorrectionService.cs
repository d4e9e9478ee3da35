using AuditDashboard.Accounts;
using AuditDashboard.EventStore;

namespace AuditDashboard.Corrections;

/// <summary>
/// Posts corrections: checks the rules against the account as the poster saw it, then appends with that revision as
/// the expected one, so a correction is never written over changes its author has not seen. Who may post is the
/// caller's check (the Support role); this service records who did.
/// </summary>
public sealed class CorrectionService(IEventStore store, AccountTimelines timelines, TimeProvider clock)
{
    public async Task<CorrectionOutcome> PostAsync(CorrectionCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var timeline = await timelines.GetAsync(command.AccountId, cancellationToken);
        if (timeline is null)
            return new CorrectionOutcome.NotFound();

        var snapshot = timeline.Snapshot;
        var seen = TimelineSearch.IndexOfRevision(snapshot, command.ExpectedRevision);
        if (seen < 0)
        {
            return new CorrectionOutcome.Refused(new Dictionary<string, string[]>
            {
                ["expectedRevision"] = [$"The account has no revision {command.ExpectedRevision}; its last is {snapshot.Current.Revision}."],
            });
        }

        // The rules judge the account as its author saw it; the append below refuses if it has moved on since.
        var asSeen = snapshot.Prefix(seen + 1);
        var decision = CorrectionRules.Decide(command.Request, asSeen, clock.GetUtcNow());
        if (!decision.IsValid)
            return new CorrectionOutcome.Refused(decision.Errors);

        var metadata = new EventMetadata(command.Actor, command.Request.Reason!.Trim(), command.CorrelationId, decision.CausationId?.ToString(), command.Source);
        var data = AccountEventCodec.Encode(command.CommandId, decision.Correction!, metadata);
        try
        {
            var result = await store.AppendAsync(timeline.StreamId, ExpectedRevision.Exact(command.ExpectedRevision), [data], cancellationToken);
            await timeline.CatchUpAsync(cancellationToken);

            // A repeated command id is answered with what the first try wrote; one reused for another correction is refused.
            var stored = timeline.Snapshot;
            var index = TimelineSearch.IndexOfRevision(stored, result.NextExpectedRevision);
            if (index >= 0 && !SameCorrection(stored[index].Event, decision.Correction!))
            {
                return new CorrectionOutcome.Refused(new Dictionary<string, string[]>
                {
                    ["commandId"] = [$"Command {command.CommandId} was already used for another correction (revision {result.NextExpectedRevision}); use a new id."],
                });
            }

            return new CorrectionOutcome.Written(result.NextExpectedRevision, index >= 0 ? stored[index].Event ?? decision.Correction! : decision.Correction!);
        }
        catch (WrongExpectedRevisionException ex)
        {
            await timeline.CatchUpAsync(cancellationToken);
            var newer = timeline.Snapshot.Skip(seen + 1).ToList();
            return new CorrectionOutcome.Conflict(command.ExpectedRevision, ex.ActualRevision, newer);
        }
    }

    // A retry may differ in what the clock gave it (an adjustment's default effective time), not in what it corrects.
    private static bool SameCorrection(AccountEvent? stored, AccountEvent proposed) => (stored, proposed) switch
    {
        (TransactionReversed a, TransactionReversed b) => a.ReversedEventId == b.ReversedEventId,
        (BalanceCorrected a, BalanceCorrected b) => a.Amount == b.Amount && a.Currency == b.Currency && a.ReferencedEventId == b.ReferencedEventId,
        _ => false,
    };
}
