namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Posts corrections: checks the rules against the account as the poster saw it, then appends with that revision as
/// the expected one, so a correction is never written over changes its author has not seen. Above the approval
/// threshold — for the correction alone, or with its author's other corrections within the approval window — the
/// correction is written as a proposal, and only a second Support user's approval writes it, checked again against
/// the account as it is then. Who may post is the caller's check (the Support role); this service records who did,
/// and refuses a proposer's approval of their own proposal.
/// <para>
/// A command id names one command in the whole ledger. The store only keeps event ids unique per stream, so the
/// service asks <see cref="CorrectionCommands"/> (every command id on any account: those the read-model store keeps,
/// plus what the ledger feed brought since and what this service wrote a moment ago) and the account's own stream
/// before it writes: the same command again returns
/// what it wrote the first time, another command under the same id is refused. Two commands with one id racing on two
/// accounts are serialised here by a lock per command id, held from the look-up until the written event is in the
/// registry; the same lock per user keeps their running totals right. The locks are per process: dashboards sharing a
/// store see each other's commands through the ledger feed, within the feed's delay (well under a second). A store-side
/// guarantee across processes would need a second, non-atomic append per command (a claim stream), which could leave a
/// claim without its correction; the feed's delay is the smaller risk.
/// </para>
/// </summary>
public sealed class CorrectionService(
    IEventStore store,
    AccountTimelines timelines,
    TimeProvider clock,
    ApprovalThresholds? thresholds = null,
    CorrectionCommands? commands = null,
    RecentCorrections? recent = null,
    CorrectionReads? reads = null)
{
    /// <summary>How often an approval or rejection is re-checked and retried when other events land meanwhile.</summary>
    private const int DecisionAttempts = 5;

    private const string ApprovedWithoutNote = "Approved (four eyes).";

    private readonly CorrectionCommands _commands = commands ?? new CorrectionCommands();
    private readonly StripedLocks _commandLocks = new(64);
    private readonly StripedLocks _actorLocks = new(64);

    public ApprovalThresholds Thresholds { get; } = thresholds ?? ApprovalThresholds.None;

    private RecentCorrections Recent { get; } = recent ?? new RecentCorrections(clock, (thresholds ?? ApprovalThresholds.None).Window);

    /// <summary>
    /// Whether a correction of <paramref name="amount"/> by <paramref name="actor"/> on the account of
    /// <paramref name="account"/> needs a second Support user's approval, now: the rule is
    /// <see cref="CorrectionRules.CheckApproval"/>; this gathers the actor's earlier corrections for it (on this account
    /// from its timeline, on the others from <see cref="RecentCorrections"/>).
    /// </summary>
    public ApprovalCheck CheckApproval(string actor, string accountId, IReadOnlyList<TimelineEntry> account, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(account);
        var currency = account.Count > 0 ? account[^1].StateAfter.Currency : null;
        if (currency is null)
            return new ApprovalCheck(ApprovalLimit.None, Math.Abs(amount), "", null, EarlierCorrections.Nothing, Thresholds.Window);

        var since = clock.GetUtcNow() - Thresholds.Window;
        var onAccount = CorrectionRules.EarlierOnAccount(account, actor, since);
        var elsewhere = Recent.Total(actor, currency, since, exceptAccount: accountId);
        return CorrectionRules.CheckApproval(amount, currency, new EarlierCorrections(onAccount, onAccount + elsewhere), Thresholds);
    }

    public async Task<CorrectionOutcome> PostAsync(CorrectionCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var commandHeld = await _commandLocks.EnterAsync(command.CommandId.ToString("N"), cancellationToken);
        using var actorHeld = await _actorLocks.EnterAsync(command.Actor, cancellationToken);
        // Decided once: the snapshot read compactly must hold the event the correction is about.
        var compact = reads is null ? null : await reads.CompactAsync(command.AccountId, [command.ExpectedRevision], command.Request.EventId, cancellationToken);
        var timeline = await Subject.OpenAsync(command.AccountId, timelines, reads?.History, compact, cancellationToken);
        if (timeline is null)
            return new CorrectionOutcome.NotFound();

        var snapshot = timeline.Snapshot;
        var earlier = await _commands.FindAsync(command.CommandId, cancellationToken)
            ?? (ProposalSearch.FindEvent(snapshot, command.CommandId) is { } own ? new WrittenCommand(command.AccountId, own.Revision, own.Event, own.Metadata) : null);
        if (earlier is not null)
            return Repeated(command, earlier);

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
        var approval = CheckApproval(command.Actor, command.AccountId, asSeen, decision.Amount);
        var toWrite = approval.Required
            ? Propose(correction, decision.CausationId is { } about ? ProposalSearch.FindEvent(asSeen, about)?.Revision : null)
            : correction;
        var metadata = new EventMetadata(command.Actor, command.Request.Reason!.Trim(), command.CorrelationId, decision.CausationId?.ToString(), command.Source);
        var data = AccountEventCodec.Encode(command.CommandId, toWrite, metadata);
        try
        {
            var result = await store.AppendAsync(timeline.StreamId, ExpectedRevision.Exact(command.ExpectedRevision), [data], cancellationToken);
            await timeline.CatchUpAsync([result.NextExpectedRevision], cancellationToken);

            // An append of an id the stream holds at that position is a retry the store answers with the first write: say what it wrote.
            var stored = timeline.Snapshot;
            var index = TimelineSearch.IndexOfRevision(stored, result.NextExpectedRevision);
            if (index >= 0 && stored[index].Record.EventId == command.CommandId)
            {
                Remember(command.AccountId, stored[index].Record);
                if (!SameCorrection(stored[index].Event, toWrite))
                    return new CorrectionOutcome.CommandReused(command.CommandId, command.AccountId, result.NextExpectedRevision);
            }

            return toWrite is CorrectionProposed proposal
                ? new CorrectionOutcome.Proposed(result.NextExpectedRevision, proposal, approval)
                : new CorrectionOutcome.Written(result.NextExpectedRevision, toWrite);
        }
        catch (WrongExpectedRevisionException ex)
        {
            var newer = await timeline.NewerThanAsync(command.ExpectedRevision, cancellationToken);
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
        if (ValidateNote(command.Note ?? "", required: !approve) is { } noteError)
            return new ProposalOutcome.Refused(new Dictionary<string, string[]> { ["reason"] = [noteError] });
        if (command.CommandId == Guid.Empty)
            return new ProposalOutcome.Refused(new Dictionary<string, string[]> { ["commandId"] = ["Give the command a new id."] });

        using var commandHeld = await _commandLocks.EnterAsync(command.CommandId.ToString("N"), cancellationToken);
        var compact = reads is null ? null : await reads.CompactAsync(command.AccountId, [], null, cancellationToken);
        var timeline = await Subject.OpenAsync(command.AccountId, timelines, reads?.History, compact, cancellationToken);
        if (timeline is null)
            return new ProposalOutcome.NotFound($"There is no account {command.AccountId}.");

        long? actual = null;
        for (var attempt = 0; attempt < DecisionAttempts; attempt++)
        {
            var snapshot = timeline.Snapshot;
            if (ProposalSearch.FindEvent(snapshot, command.ProposalId) is not { Event: CorrectionProposed proposed } proposal)
                return new ProposalOutcome.NotFound($"Account {command.AccountId} has no proposal {command.ProposalId}.");

            // A compact snapshot holds the event the proposal is about only once asked for it.
            if (compact is not null && reads is not null && proposed.EventId is { } about
                && (proposed.EventRevision ?? await reads.RevisionOfAsync(command.AccountId, about, cancellationToken)) is { } aboutRevision
                && TimelineSearch.IndexOfRevision(snapshot, aboutRevision) < 0)
            {
                await timeline.CatchUpAsync([aboutRevision], cancellationToken);
                snapshot = timeline.Snapshot;
            }

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
            if (await _commands.FindAsync(command.CommandId, cancellationToken) is { } elsewhere && !string.Equals(elsewhere.AccountId, command.AccountId, StringComparison.Ordinal))
                return CommandUsed(command.CommandId, elsewhere.Revision, elsewhere.AccountId);

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

            var written = false;
            try
            {
                await store.AppendAsync(timeline.StreamId, ExpectedRevision.Exact(snapshot.Current.Revision!.Value), events, cancellationToken);
                written = true;
            }
            catch (WrongExpectedRevisionException ex)
            {
                // Someone wrote meanwhile: look again (the proposal may have been decided, or may no longer be valid).
                actual = ex.ActualRevision;
            }

            await timeline.CatchUpAsync([], cancellationToken);
            foreach (var e in written ? events : [])
            {
                if (ProposalSearch.FindEvent(timeline.Snapshot, e.EventId) is { } stored)
                    Remember(command.AccountId, stored.Record);
            }
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

    private static ProposalOutcome.Refused CommandUsed(Guid commandId, long revision, string? accountId = null) => new(new Dictionary<string, string[]>
    {
        ["commandId"] = [accountId is null
            ? $"Command {commandId} was already used (revision {revision}); use a new id."
            : $"Command {commandId} was already used (revision {revision} of account {accountId}); use a new id."],
    });

    private static string? ValidateNote(string note, bool required) =>
        ReasonText.Problem(note, required, "Give the reason for rejecting the proposal.");

    private static CorrectionProposed Propose(AccountEvent correction, long? aboutRevision) => correction switch
    {
        TransactionReversed r => new CorrectionProposed(AccountEventTypes.TransactionReversed, r.ReversedEventId, r.ReversedRevision, r.Amount, r.Currency, r.EffectiveAt),
        BalanceCorrected c => new CorrectionProposed(AccountEventTypes.BalanceCorrected, c.ReferencedEventId, aboutRevision, c.Amount, c.Currency, c.EffectiveAt),
        _ => throw new ArgumentException($"{correction.GetType().Name} is not a correction.", nameof(correction)),
    };

    /// <summary>
    /// A command whose id is already in the ledger: the same command again gets what it wrote the first time (201 or
    /// 202 with that revision, whatever the account's revision is now); another command under that id is refused.
    /// </summary>
    private static CorrectionOutcome Repeated(CorrectionCommand command, WrittenCommand earlier) =>
        !SameCommand(command, earlier) ? new CorrectionOutcome.CommandReused(command.CommandId, earlier.AccountId, earlier.Revision)
        : earlier.Event is CorrectionProposed proposal ? new CorrectionOutcome.Proposed(earlier.Revision, proposal)
        : new CorrectionOutcome.Written(earlier.Revision, earlier.Event!);

    /// <summary>
    /// Whether <paramref name="earlier"/> is what <paramref name="command"/> writes: the same account, author, reason,
    /// kind, event, amount and effective time, as a correction written at once or as a proposal. What the first try
    /// left to defaults (a reversal's amount, an effective time) matches what the defaults gave; the expected revision
    /// does not matter (a retry may come after the account moved on).
    /// </summary>
    private static bool SameCommand(CorrectionCommand command, WrittenCommand earlier)
    {
        var request = command.Request;
        if (!string.Equals(earlier.AccountId, command.AccountId, StringComparison.Ordinal)
            || earlier.Metadata is not { ApprovedBy: null } metadata
            || !string.Equals(metadata.Actor, command.Actor, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(metadata.Reason, request.Reason?.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        (CorrectionKind? Kind, Guid? EventId, decimal Amount, DateTimeOffset EffectiveAt) written = earlier.Event switch
        {
            TransactionReversed r => (CorrectionKind.Reversal, r.ReversedEventId, r.Amount, r.EffectiveAt),
            BalanceCorrected c => (CorrectionKind.Adjustment, c.ReferencedEventId, c.Amount, c.EffectiveAt),
            CorrectionProposed { Correction: AccountEventTypes.TransactionReversed } p => (CorrectionKind.Reversal, p.EventId, p.Amount, p.EffectiveAt),
            CorrectionProposed p => (CorrectionKind.Adjustment, p.EventId, p.Amount, p.EffectiveAt),
            _ => (null, null, 0m, default),
        };
        return written.Kind == request.Kind
            && written.EventId == request.EventId
            && (written.Kind == CorrectionKind.Reversal ? request.Amount is null || Math.Abs(request.Amount.Value) == Math.Abs(written.Amount) : request.Amount == written.Amount)
            && (request.EffectiveAt is null || request.EffectiveAt == written.EffectiveAt);
    }

    /// <summary>
    /// The account a command is judged against: its timeline, loaded as the pages load it, or a compact snapshot of a
    /// long one (see <see cref="CorrectionReads"/>), holding the entries at the revisions asked for.
    /// </summary>
    private sealed class Subject
    {
        private readonly string _accountId;
        private readonly AccountTimeline? _loaded;
        private readonly AccountHistory? _history;
        private readonly List<long> _revisions;

        private Subject(string accountId, AccountTimeline? loaded, AccountHistory? history, TimelineSnapshot snapshot, List<long> revisions)
        {
            _accountId = accountId;
            _loaded = loaded;
            _history = history;
            Snapshot = snapshot;
            _revisions = revisions;
        }

        public string StreamId => AccountIds.StreamOf(_accountId);

        public TimelineSnapshot Snapshot { get; private set; }

        /// <summary>The account as read compactly (<paramref name="compact"/>, read again from <paramref name="history"/>) when it is, else its timeline loaded.</summary>
        public static async Task<Subject?> OpenAsync(
            string accountId, AccountTimelines timelines, AccountHistory? history, CompactAccount? compact, CancellationToken cancellationToken)
        {
            if (compact is not null)
                return compact.Snapshot is { } snapshot ? new Subject(accountId, null, history, snapshot, compact.Revisions) : null;

            return await timelines.GetAsync(accountId, cancellationToken) is { } timeline
                ? new Subject(accountId, timeline, null, timeline.Snapshot, [])
                : null;
        }

        /// <summary>Reads the account again, up to its latest event, with the entries at <paramref name="revisions"/> as well.</summary>
        public async Task CatchUpAsync(IEnumerable<long> revisions, CancellationToken cancellationToken)
        {
            if (_loaded is not null)
            {
                await _loaded.CatchUpAsync(cancellationToken);
                Snapshot = _loaded.Snapshot;
                return;
            }

            _revisions.AddRange(revisions);
            Snapshot = await _history!.CompactAsync(_accountId, _revisions, cancellationToken) ?? Snapshot;
        }

        /// <summary>The events after <paramref name="revision"/> (at most a thousand of a compact account), oldest first.</summary>
        public async Task<IReadOnlyList<TimelineEntry>> NewerThanAsync(long revision, CancellationToken cancellationToken)
        {
            if (_loaded is null)
                return await _history!.ReadAsync(_accountId, revision + 1, NewerShown, cancellationToken);

            await _loaded.CatchUpAsync(cancellationToken);
            Snapshot = _loaded.Snapshot;
            return [.. Snapshot.Where(e => e.Revision > revision)];
        }

        private const int NewerShown = 1_000;
    }

    /// <summary>Puts a written event in the read models at once: the ledger feed brings it too, a moment later, and is ignored then.</summary>
    private void Remember(string accountId, RecordedEvent record)
    {
        _commands.Apply(accountId, record);
        Recent.Apply(accountId, record);
    }

    // A retry may differ in what the clock gave it (an adjustment's default effective time), not in what it corrects.
    private static bool SameCorrection(AccountEvent? stored, AccountEvent proposed) => (stored, proposed) switch
    {
        (TransactionReversed a, TransactionReversed b) => a.ReversedEventId == b.ReversedEventId,
        (BalanceCorrected a, BalanceCorrected b) => a.Amount == b.Amount && a.Currency == b.Currency && a.ReferencedEventId == b.ReferencedEventId,
        (CorrectionProposed a, CorrectionProposed b) => a.Correction == b.Correction && a.Amount == b.Amount && a.Currency == b.Currency && a.EventId == b.EventId,
        _ => false,
    };
}
