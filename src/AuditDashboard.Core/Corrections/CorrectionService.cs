using System.Security.Cryptography;
using System.Text;
using AuditDashboard.Accounts;
using AuditDashboard.EventStore;

namespace AuditDashboard.Corrections;

/// <summary>
/// Posts corrections: checks the rules against the account as the poster saw it, then appends with that revision as
/// the expected one, so a correction is never written over changes its author has not seen. Above the approval
/// threshold the correction is written as a proposal, and only a second Support user's approval writes it, checked
/// again against the account as it is then. Who may post is the caller's check (the Support role); this service
/// records who did, and refuses a proposer's approval of their own proposal.
/// </summary>
public sealed class CorrectionService(IEventStore store, AccountTimelines timelines, TimeProvider clock, ApprovalThresholds? thresholds = null)
{
    /// <summary>How often an approval or rejection is re-checked and retried when other events land meanwhile.</summary>
    private const int DecisionAttempts = 5;

    private const string ApprovedWithoutNote = "Approved (four eyes).";

    public ApprovalThresholds Thresholds { get; } = thresholds ?? ApprovalThresholds.None;

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

        var correction = decision.Correction!;
        var toWrite = Thresholds.RequireApproval(decision.Amount, asSeen.Current.Currency!)
            ? Propose(correction, decision.CausationId is { } about ? ProposalSearch.FindEvent(asSeen, about)?.Revision : null)
            : correction;
        var metadata = new EventMetadata(command.Actor, command.Request.Reason!.Trim(), command.CorrelationId, decision.CausationId?.ToString(), command.Source);
        var data = AccountEventCodec.Encode(command.CommandId, toWrite, metadata);
        try
        {
            var result = await store.AppendAsync(timeline.StreamId, ExpectedRevision.Exact(command.ExpectedRevision), [data], cancellationToken);
            await timeline.CatchUpAsync(cancellationToken);

            // A repeated command id is answered with what the first try wrote; one reused for another correction is refused.
            var stored = timeline.Snapshot;
            var index = TimelineSearch.IndexOfRevision(stored, result.NextExpectedRevision);
            var written = index >= 0 ? stored[index].Event ?? toWrite : toWrite;
            if (!SameCorrection(written, toWrite))
                return CommandIdReused(command.CommandId, result.NextExpectedRevision);

            return written is CorrectionProposed proposal
                ? new CorrectionOutcome.Proposed(result.NextExpectedRevision, proposal)
                : new CorrectionOutcome.Written(result.NextExpectedRevision, written);
        }
        catch (WrongExpectedRevisionException ex)
        {
            await timeline.CatchUpAsync(cancellationToken);
            var newer = timeline.Snapshot.Skip(seen + 1).ToList();
            return new CorrectionOutcome.Conflict(command.ExpectedRevision, ex.ActualRevision, newer);
        }
    }

    /// <summary>
    /// Approves a proposal: re-checks the correction against the account as it is now and appends the approval and the
    /// correction together, at the current revision, so neither is ever written without the other.
    /// </summary>
    public Task<ProposalOutcome> ApproveAsync(ProposalCommand command, CancellationToken cancellationToken = default) =>
        DecideAsync(command, approve: true, cancellationToken);

    /// <summary>Rejects a proposal with a reason; nothing is corrected. The proposer may withdraw their own this way.</summary>
    public Task<ProposalOutcome> RejectAsync(ProposalCommand command, CancellationToken cancellationToken = default) =>
        DecideAsync(command, approve: false, cancellationToken);

    /// <summary>The event id of the correction an approval writes: derived from the proposal, so it can be written once only.</summary>
    public static Guid CorrectionIdFor(Guid proposalId)
    {
        Span<byte> input = stackalloc byte[16 + 14];
        proposalId.TryWriteBytes(input);
        Encoding.ASCII.GetBytes("correction-of:", input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }

    private async Task<ProposalOutcome> DecideAsync(ProposalCommand command, bool approve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var note = command.Note?.Trim() ?? "";
        if (ValidateNote(note, required: !approve) is { } noteError)
            return new ProposalOutcome.Refused(new Dictionary<string, string[]> { ["reason"] = [noteError] });
        if (command.CommandId == Guid.Empty)
            return new ProposalOutcome.Refused(new Dictionary<string, string[]> { ["commandId"] = ["Give the command a new id."] });

        var timeline = await timelines.GetAsync(command.AccountId, cancellationToken);
        if (timeline is null)
            return new ProposalOutcome.NotFound($"There is no account {command.AccountId}.");

        long? actual = null;
        for (var attempt = 0; attempt < DecisionAttempts; attempt++)
        {
            var snapshot = timeline.Snapshot;
            if (ProposalSearch.FindEvent(snapshot, command.ProposalId) is not { Event: CorrectionProposed proposed } proposal)
                return new ProposalOutcome.NotFound($"Account {command.AccountId} has no proposal {command.ProposalId}.");

            if (ProposalSearch.DecisionOf(snapshot, command.ProposalId) is { } decided)
            {
                return decided.Record.EventId != command.CommandId ? new ProposalOutcome.AlreadyDecided(decided)
                    : decided.Event is CorrectionApproved == approve ? Earlier(decided, snapshot)
                    : CommandUsed(command.CommandId, decided.Revision);
            }

            // A proposal another writer stored that cannot apply to this account (e.g. in another currency) is never carried out.
            if (proposal.Warning is not (EntryWarning.None or EntryWarning.MetadataUnreadable) && approve)
            {
                return new ProposalOutcome.Refused(new Dictionary<string, string[]>
                {
                    ["proposalId"] = [$"The proposal at revision {proposal.Revision} cannot apply to this account: {proposal.Problem} Reject it instead."],
                });
            }

            if (ProposalSearch.FindEvent(snapshot, command.CommandId) is { } reused)
                return CommandUsed(command.CommandId, reused.Revision);

            var proposer = proposal.Metadata?.Actor;
            if (approve && proposer is null)
            {
                return new ProposalOutcome.Refused(new Dictionary<string, string[]>
                {
                    ["proposalId"] = [$"The proposal at revision {proposal.Revision} has no readable author, so a second pair of eyes cannot be shown; reject it instead."],
                });
            }

            if (approve && string.Equals(proposer, command.Actor, StringComparison.OrdinalIgnoreCase))
                return new ProposalOutcome.OwnProposal(proposer!);

            var correlation = proposal.Metadata?.CorrelationId ?? command.ProposalId.ToString("N");
            var decision = new EventMetadata(command.Actor, note.Length > 0 ? note : ApprovedWithoutNote, correlation, command.ProposalId.ToString(), command.Source);
            List<EventData> events;
            if (approve)
            {
                var check = CorrectionRules.DecideApproval(command.ProposalId, proposed, proposal.Metadata!.Reason, snapshot, clock.GetUtcNow());
                if (!check.IsValid)
                    return new ProposalOutcome.Refused(check.Errors);

                var correctionMetadata = proposal.Metadata with
                {
                    CausationId = check.CausationId?.ToString() ?? command.CommandId.ToString(),
                    Source = command.Source,
                    ApprovedBy = command.Actor,
                };
                events =
                [
                    AccountEventCodec.Encode(command.CommandId, new CorrectionApproved(command.ProposalId, proposal.Revision), decision),
                    AccountEventCodec.Encode(CorrectionIdFor(command.ProposalId), check.Correction!, correctionMetadata),
                ];
            }
            else
            {
                events = [AccountEventCodec.Encode(command.CommandId, new CorrectionRejected(command.ProposalId, proposal.Revision), decision)];
            }

            try
            {
                await store.AppendAsync(timeline.StreamId, ExpectedRevision.Exact(snapshot.Current.Revision!.Value), events, cancellationToken);
            }
            catch (WrongExpectedRevisionException ex)
            {
                // Someone wrote meanwhile: look again (the proposal may have been decided, or may no longer be valid).
                actual = ex.ActualRevision;
            }

            await timeline.CatchUpAsync(cancellationToken);
        }

        var final = timeline.Snapshot;
        return ProposalSearch.DecisionOf(final, command.ProposalId) is { } last && last.Record.EventId == command.CommandId
            ? Earlier(last, final)
            : new ProposalOutcome.Conflict(actual);
    }

    private static ProposalOutcome Earlier(TimelineEntry decided, TimelineSnapshot snapshot)
    {
        if (decided.Event is CorrectionRejected)
            return new ProposalOutcome.Rejected(decided.Revision);

        // The dashboard writes the correction right after its approval; an approval stored otherwise is only reported.
        var index = TimelineSearch.IndexOfRevision(snapshot, decided.Revision + 1);
        return index >= 0 && snapshot[index] is { Event: { } correction } written && written.Record.EventId == CorrectionIdFor(((CorrectionApproved)decided.Event!).ProposalId)
            ? new ProposalOutcome.Approved(decided.Revision, decided.Revision + 1, correction)
            : new ProposalOutcome.AlreadyDecided(decided);
    }

    private static ProposalOutcome.Refused CommandUsed(Guid commandId, long revision) => new(new Dictionary<string, string[]>
    {
        ["commandId"] = [$"Command {commandId} was already used (revision {revision}); use a new id."],
    });

    private static string? ValidateNote(string note, bool required) =>
        required && note.Length == 0 ? "Give the reason for rejecting the proposal."
        : required && note.Length < CorrectionRules.MinReasonLength ? $"The reason must be at least {CorrectionRules.MinReasonLength} characters; it has {note.Length}."
        : note.Length > CorrectionRules.MaxReasonLength ? $"The reason must be at most 1,000 characters; it has {note.Length}."
        : null;

    private static CorrectionProposed Propose(AccountEvent correction, long? aboutRevision) => correction switch
    {
        TransactionReversed r => new CorrectionProposed(AccountEventTypes.TransactionReversed, r.ReversedEventId, r.ReversedRevision, r.Amount, r.Currency, r.EffectiveAt),
        BalanceCorrected c => new CorrectionProposed(AccountEventTypes.BalanceCorrected, c.ReferencedEventId, aboutRevision, c.Amount, c.Currency, c.EffectiveAt),
        _ => throw new ArgumentException($"{correction.GetType().Name} is not a correction.", nameof(correction)),
    };

    private static CorrectionOutcome.Refused CommandIdReused(Guid commandId, long revision) => new(new Dictionary<string, string[]>
    {
        ["commandId"] = [$"Command {commandId} was already used for another correction (revision {revision}); use a new id."],
    });

    // A retry may differ in what the clock gave it (an adjustment's default effective time), not in what it corrects.
    private static bool SameCorrection(AccountEvent? stored, AccountEvent proposed) => (stored, proposed) switch
    {
        (TransactionReversed a, TransactionReversed b) => a.ReversedEventId == b.ReversedEventId,
        (BalanceCorrected a, BalanceCorrected b) => a.Amount == b.Amount && a.Currency == b.Currency && a.ReferencedEventId == b.ReferencedEventId,
        (CorrectionProposed a, CorrectionProposed b) => a.Correction == b.Correction && a.Amount == b.Amount && a.Currency == b.Currency && a.EventId == b.EventId,
        _ => false,
    };
}
