using System.Collections.Concurrent;

namespace AuditDashboard.Core.Tests.Corrections;

/// <summary>
/// Four-eyes approval over the in-memory store: a correction above the threshold is written as a proposal, and only a
/// second Support user's approval writes it, together with the approval, in one append at the account's current
/// revision, after checking the rules again.
/// </summary>
public class CorrectionApprovalTests : IAsyncLifetime
{
    private const string AccountId = "FEY-1";
    private const string DollarAccountId = "FEY-2";
    private const string Reason = "Deposit recorded twice by the gateway";
    private const string Proposer = "support:petra";
    private const string Approver = "support:quentin";
    private const string RejectReason = "The second deposit was a real one";

    private static readonly DateTimeOffset Seeded = new(2100, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Seeded);
    private InMemoryEventStore _store = default!;
    private AccountTimelines _timelines = default!;
    private CorrectionService _service = default!;
    private CompactReading? _compact;

    // FEY-1 (EUR, four eyes above 1,000): 0 opened, 1 deposit 5,000, 2 the same deposit again, 3 withdrawal 300,
    // 4 deposit 40. Balance 9,740 EUR. FEY-2 (USD, no threshold): 0 opened, 1 deposit 50,000.
    private readonly Guid[] _ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
    private readonly Guid _dollarDeposit = Guid.NewGuid();

    private static string Stream => AccountIds.StreamOf(AccountId);

    public async ValueTask InitializeAsync()
    {
        _store = new InMemoryEventStore(_clock);
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
        await _store.AppendAsync(Stream, ExpectedRevision.NoStream,
        [
            Encode(_ids[0], new AccountOpened(AccountId, "Felix Eyes", "EUR")),
            Encode(_ids[1], new FundsDeposited(5_000m, "EUR", "TRX-1")),
            Encode(_ids[2], new FundsDeposited(5_000m, "EUR", "TRX-1")),
            Encode(_ids[3], new FundsWithdrawn(300m, "EUR", null)),
            Encode(_ids[4], new FundsDeposited(40m, "EUR", "TRX-2")),
        ],
        TestContext.Current.CancellationToken);
        await _store.AppendAsync(AccountIds.StreamOf(DollarAccountId), ExpectedRevision.NoStream,
        [
            Encode(Guid.NewGuid(), new AccountOpened(DollarAccountId, "Dolly Lar", "USD")),
            Encode(_dollarDeposit, new FundsDeposited(50_000m, "USD", null)),
        ],
        TestContext.Current.CancellationToken);
        _clock.Now = Seeded.AddHours(1);
        _timelines = new AccountTimelines(_store);
        _compact = Compact ? await CompactReading.StartAsync(_store, TestContext.Current.CancellationToken) : null;
        _service = new CorrectionService(
            _store, _timelines, _clock, new ApprovalThresholds(new Dictionary<string, decimal> { ["EUR"] = 1_000m }, otherwise: null), reads: _compact?.Reads);
    }

    public async ValueTask DisposeAsync()
    {
        if (_compact is not null)
            await _compact.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the service reads each account as a compact snapshot (the subclass below) instead of loading it.</summary>
    protected virtual bool Compact => false;

    // ---- Proposing -------------------------------------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task AReversalAboveTheThreshold_IsWrittenAsAProposal_AndTheBalanceStays()
    {
        var command = Post(Reverse(_ids[2]), expectedRevision: 4);

        var outcome = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        var proposed = Assert.IsType<CorrectionOutcome.Proposed>(outcome);
        Assert.Equal(5, proposed.Revision);
        Assert.Equal(new CorrectionProposed(AccountEventTypes.TransactionReversed, _ids[2], 2, -5_000m, "EUR", Seeded), proposed.Proposal);

        var events = await ReadStreamAsync();
        Assert.Equal(6, events.Count);
        Assert.Equal(command.CommandId, events[5].EventId);
        Assert.Equal(AccountEventTypes.CorrectionProposed, events[5].EventType);
        var decoded = AccountEventCodec.Decode(events[5]);
        Assert.Equal(proposed.Proposal, decoded.Event);
        Assert.Equal(new EventMetadata(Proposer, Reason, command.CorrelationId, _ids[2].ToString(), "tests"), decoded.Metadata);
        Assert.Equal(9_740m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task ANegativeAdjustmentAboveTheThreshold_IsProposed_WithItsSignedAmount_EffectiveNow()
    {
        var outcome = await _service.PostAsync(Post(Adjust(-1_000.01m), expectedRevision: 4), TestContext.Current.CancellationToken);

        var proposed = Assert.IsType<CorrectionOutcome.Proposed>(outcome);
        Assert.Equal(new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, -1_000.01m, "EUR", _clock.Now), proposed.Proposal);
        Assert.Equal(9_740m, await BalanceAsync());
        Assert.Null(AccountEventCodec.Decode((await ReadStreamAsync())[5]).Metadata!.CausationId);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAdjustmentAboutAnEvent_IsProposed_WithThatEventAndItsRevision()
    {
        var outcome = await _service.PostAsync(Post(new CorrectionRequest(CorrectionKind.Adjustment, _ids[1], -2_000m, Reason, null), expectedRevision: 4), TestContext.Current.CancellationToken);

        var proposal = Assert.IsType<CorrectionOutcome.Proposed>(outcome).Proposal;
        Assert.Equal(AccountEventTypes.BalanceCorrected, proposal.Correction);
        Assert.Equal(_ids[1], proposal.EventId);
        Assert.Equal(1, proposal.EventRevision);
        Assert.Equal(Seeded, proposal.EffectiveAt);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("1000", "10740")]
    [InlineData("-1000", "8740")]
    [InlineData("999.99", "10739.99")]
    public async Task ACorrectionAtOrBelowTheThreshold_IsWrittenAtOnce(string amount, string balance)
    {
        var outcome = await _service.PostAsync(Post(Adjust(Parse(amount)), expectedRevision: 4), TestContext.Current.CancellationToken);

        var written = Assert.IsType<CorrectionOutcome.Written>(outcome);
        Assert.Equal(5, written.Revision);
        Assert.IsType<BalanceCorrected>(written.Correction);
        Assert.Equal(AccountEventTypes.BalanceCorrected, (await ReadStreamAsync())[5].EventType);
        Assert.Equal(Parse(balance), await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task ACurrencyWithoutThreshold_NeverNeedsApproval()
    {
        var command = Post(Reverse(_dollarDeposit), expectedRevision: 1) with { AccountId = DollarAccountId };

        var outcome = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        Assert.Equal(-50_000m, Assert.IsType<TransactionReversed>(Assert.IsType<CorrectionOutcome.Written>(outcome).Correction).Amount);
        Assert.Equal(0m, await BalanceAsync(DollarAccountId));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameProposalCommandTwice_IsWrittenOnce_AndBothTimesAnswersProposed()
    {
        var command = Post(Reverse(_ids[2]), expectedRevision: 4);

        var first = await _service.PostAsync(command, TestContext.Current.CancellationToken);
        var again = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        Assert.Equal(5, Assert.IsType<CorrectionOutcome.Proposed>(first).Revision);
        Assert.Equal(5, Assert.IsType<CorrectionOutcome.Proposed>(again).Revision);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    // ---- Approving -----------------------------------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task AnApproval_WritesTheApprovalAndTheCorrection_InOneAppend_AtConsecutiveRevisions()
    {
        var (proposalId, proposal) = await ProposeReversalAsync();
        _clock.Now = Seeded.AddHours(2);
        var approve = Decide(proposalId, Approver, note: "Checked against the gateway log");

        var outcome = await _service.ApproveAsync(approve, TestContext.Current.CancellationToken);

        var approved = Assert.IsType<ProposalOutcome.Approved>(outcome);
        Assert.Equal(6, approved.ApprovalRevision);
        Assert.Equal(7, approved.CorrectionRevision);
        var reversal = new TransactionReversed(_ids[2], 2, -5_000m, "EUR", Seeded);
        Assert.Equal(reversal, approved.Correction);

        var events = await ReadStreamAsync();
        Assert.Equal(8, events.Count);
        var (approval, correction) = (events[6], events[7]);

        Assert.Equal(approve.CommandId, approval.EventId);
        Assert.Equal(AccountEventTypes.CorrectionApproved, approval.EventType);
        var decodedApproval = AccountEventCodec.Decode(approval);
        Assert.Equal(new CorrectionApproved(proposalId, 5), decodedApproval.Event);
        Assert.Equal(Approver, decodedApproval.Metadata!.Actor);
        Assert.Equal("Checked against the gateway log", decodedApproval.Metadata.Reason);
        Assert.Equal(proposalId.ToString(), decodedApproval.Metadata.CausationId);
        Assert.Equal(proposal.Metadata!.CorrelationId, decodedApproval.Metadata.CorrelationId);

        Assert.Equal(CorrectionService.CorrectionIdFor(proposalId), correction.EventId);
        Assert.Equal(AccountEventTypes.TransactionReversed, correction.EventType);
        var decodedCorrection = AccountEventCodec.Decode(correction);
        Assert.Equal(reversal, decodedCorrection.Event);
        Assert.Equal(EntryWarning.None, decodedCorrection.Warning);
        Assert.Equal(Proposer, decodedCorrection.Metadata!.Actor);
        Assert.Equal(Reason, decodedCorrection.Metadata.Reason);
        Assert.Equal(Approver, decodedCorrection.Metadata.ApprovedBy);
        Assert.Equal(_ids[2].ToString(), decodedCorrection.Metadata.CausationId);
        Assert.Equal(proposal.Metadata.CorrelationId, decodedCorrection.Metadata.CorrelationId);

        // One commit: consecutive revisions and positions, one commit time.
        Assert.Equal([6L, 7L], new[] { approval.Revision, correction.Revision });
        Assert.Equal(approval.Position + 1, correction.Position);
        Assert.Equal(approval.Created, correction.Created);
        Assert.Equal(Seeded.AddHours(2), approval.Created);
        Assert.Equal(4_740m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task ApprovingWithoutANote_IsAllowed_AndRecordsAStandardReason()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(proposalId, Approver, note: null), TestContext.Current.CancellationToken));

        var approval = AccountEventCodec.Decode((await ReadStreamAsync())[6]);
        Assert.False(string.IsNullOrWhiteSpace(approval.Metadata!.Reason));
        Assert.Equal(Approver, approval.Metadata.Actor);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApprovedAdjustment_IsCausedByTheApproval_AndTakesEffectWhenItWasProposed()
    {
        var proposed = Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(2_500m), expectedRevision: 4, out var proposalId), TestContext.Current.CancellationToken));
        var proposedAt = _clock.Now;
        _clock.Now = proposedAt.AddDays(3);
        var approve = Decide(proposalId, Approver);

        var approved = Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(approve, TestContext.Current.CancellationToken));

        Assert.Equal(new BalanceCorrected(2_500m, "EUR", null, proposedAt), approved.Correction);
        Assert.Equal(proposed.Proposal.EffectiveAt, ((BalanceCorrected)approved.Correction).EffectiveAt);
        var metadata = AccountEventCodec.Decode((await ReadStreamAsync())[7]).Metadata!;
        Assert.Equal(approve.CommandId.ToString(), metadata.CausationId);
        Assert.Equal(Proposer, metadata.Actor);
        Assert.Equal(Approver, metadata.ApprovedBy);
        Assert.Equal(12_240m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApproval_IsWrittenAtTheCurrentRevision_EventsSinceTheProposalDoNotStopIt()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(5), [Encode(Guid.NewGuid(), new FundsDeposited(10m, "EUR", "TRX-3"))], TestContext.Current.CancellationToken);
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(6), [Encode(Guid.NewGuid(), new AccountFrozen())], TestContext.Current.CancellationToken);

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver), TestContext.Current.CancellationToken);

        var approved = Assert.IsType<ProposalOutcome.Approved>(outcome);
        Assert.Equal(8, approved.ApprovalRevision);
        Assert.Equal(9, approved.CorrectionRevision);
        var events = await ReadStreamAsync();
        Assert.Equal([AccountEventTypes.CorrectionApproved, AccountEventTypes.TransactionReversed], events.Skip(8).Select(e => e.EventType));
        Assert.Equal(4_750m, await BalanceAsync());
    }

    [Theory(Timeout = 30_000)]
    [InlineData(Proposer)]
    [InlineData("SUPPORT:Petra")]
    public async Task TheProposer_CannotApproveTheirOwnProposal_InAnyLetterCase(string actor)
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcome = await _service.ApproveAsync(Decide(proposalId, actor), TestContext.Current.CancellationToken);

        Assert.Equal(Proposer, Assert.IsType<ProposalOutcome.OwnProposal>(outcome).Proposer);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
        Assert.Equal(9_740m, await BalanceAsync());

        // Still pending: a second user may approve it.
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(proposalId, Approver), TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheProposer_MayWithdrawTheirProposal_ByRejectingIt()
    {
        var (proposalId, proposal) = await ProposeReversalAsync();
        var reject = Decide(proposalId, Proposer, note: "Proposed on the wrong deposit");

        var outcome = await _service.RejectAsync(reject, TestContext.Current.CancellationToken);

        Assert.Equal(6, Assert.IsType<ProposalOutcome.Rejected>(outcome).Revision);
        var events = await ReadStreamAsync();
        Assert.Equal(7, events.Count);
        Assert.Equal(reject.CommandId, events[6].EventId);
        var decoded = AccountEventCodec.Decode(events[6]);
        Assert.Equal(new CorrectionRejected(proposalId, 5), decoded.Event);
        Assert.Equal(new EventMetadata(Proposer, "Proposed on the wrong deposit", proposal.Metadata!.CorrelationId, proposalId.ToString(), "tests"), decoded.Metadata);
        Assert.Equal(9_740m, await BalanceAsync());
        Assert.Empty(ProposalSearch.Pending((await FreshTimelineAsync()).Snapshot));
    }

    // ---- The rules, checked again at approval --------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task AnApproval_OfACorrectionOnAnAccountClosedSinceTheProposal_IsRefused_AndWritesNothing()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(5), [Encode(Guid.NewGuid(), new AccountClosed())], TestContext.Current.CancellationToken);

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<ProposalOutcome.Refused>(outcome);
        Assert.Contains("closed", Assert.Single(refused.Errors["account"]), StringComparison.Ordinal);
        Assert.Equal(7, (await ReadStreamAsync()).Count);
        Assert.Single(ProposalSearch.Pending((await FreshTimelineAsync()).Snapshot));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApproval_OfAReversalAnotherWriterHasSinceWritten_IsRefused_AsAlreadyReversed()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(5), [Encode(Guid.NewGuid(), new TransactionReversed(_ids[2], 2, -5_000m, "EUR", Seeded))], TestContext.Current.CancellationToken);

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver), TestContext.Current.CancellationToken);

        Assert.Contains("already reversed", Assert.Single(Assert.IsType<ProposalOutcome.Refused>(outcome).Errors["eventId"]), StringComparison.Ordinal);
        Assert.Equal(7, (await ReadStreamAsync()).Count);
        Assert.Equal(4_740m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task WhileAReversalIsProposed_TheSameEventCannotBeReversedDirectly_NorProposedAgain_UntilTheProposalIsRejected()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        // A service without four eyes would write the reversal at once; the pending proposal stops it.
        var direct = new CorrectionService(_store, _timelines, _clock);
        var refused = Assert.IsType<CorrectionOutcome.Refused>(await direct.PostAsync(Post(Reverse(_ids[2]), expectedRevision: 5), TestContext.Current.CancellationToken));
        var error = Assert.Single(refused.Errors["eventId"]);
        Assert.Contains("already proposed for reversal", error, StringComparison.Ordinal);
        Assert.Contains("revision 5", error, StringComparison.Ordinal);
        Assert.IsType<CorrectionOutcome.Refused>(await _service.PostAsync(Post(Reverse(_ids[2]), expectedRevision: 5), TestContext.Current.CancellationToken));
        Assert.Equal(6, (await ReadStreamAsync()).Count);

        // Other events are not blocked.
        Assert.IsType<CorrectionOutcome.Written>(await direct.PostAsync(Post(Reverse(_ids[1]), expectedRevision: 5), TestContext.Current.CancellationToken));

        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(Decide(proposalId, Approver, note: RejectReason), TestContext.Current.CancellationToken));
        Assert.IsType<CorrectionOutcome.Written>(await direct.PostAsync(Post(Reverse(_ids[2]), expectedRevision: 7), TestContext.Current.CancellationToken));
        Assert.Equal(-260m, await BalanceAsync());
    }

    // ---- Rejecting -----------------------------------------------------------------------------------------------

    public static TheoryData<string?, string> BadRejectReasons => new()
    {
        { null, "Give the reason" },
        { "", "Give the reason" },
        { "     ", "Give the reason" },
        { "too short", "at least 10" },
        { "   123456789   ", "at least 10" },
        { new string('x', 1_001), "at most 1,000" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(BadRejectReasons))]
    public async Task ARejection_WithoutAProperReason_IsRefused_OnReason_AndWritesNothing(string? note, string message)
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcome = await _service.RejectAsync(Decide(proposalId, Approver, note), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<ProposalOutcome.Refused>(outcome);
        Assert.Equal(["reason"], refused.Errors.Keys);
        Assert.Contains(message, Assert.Single(refused.Errors["reason"]), StringComparison.Ordinal);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(10)]
    [InlineData(1_000)]
    public async Task ARejectionReason_Of10To1000Characters_IsAccepted(int length)
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var note = new string('r', length);

        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(Decide(proposalId, Approver, note), TestContext.Current.CancellationToken));

        Assert.Equal(note, AccountEventCodec.Decode((await ReadStreamAsync())[6]).Metadata!.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApprovalNoteOver1000Characters_IsRefused_OnReason()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver, new string('n', 1_001)), TestContext.Current.CancellationToken);

        Assert.Equal(["reason"], Assert.IsType<ProposalOutcome.Refused>(outcome).Errors.Keys);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ARejectedProposal_CannotBeApprovedAfterwards()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var reject = Decide(proposalId, Approver, note: RejectReason);
        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(reject, TestContext.Current.CancellationToken));

        var outcome = await _service.ApproveAsync(Decide(proposalId, "support:rosa"), TestContext.Current.CancellationToken);

        var already = Assert.IsType<ProposalOutcome.AlreadyDecided>(outcome);
        Assert.Equal(reject.CommandId, already.Decision.Record.EventId);
        Assert.IsType<CorrectionRejected>(already.Decision.Event);
        Assert.Equal(7, (await ReadStreamAsync()).Count);
        Assert.Equal(9_740m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApprovedProposal_CannotBeRejectedAfterwards_NorApprovedAgain()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var approve = Decide(proposalId, Approver);
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(approve, TestContext.Current.CancellationToken));

        var rejected = await _service.RejectAsync(Decide(proposalId, "support:rosa", note: RejectReason), TestContext.Current.CancellationToken);
        var approvedAgain = await _service.ApproveAsync(Decide(proposalId, "support:rosa"), TestContext.Current.CancellationToken);

        Assert.Equal(approve.CommandId, Assert.IsType<ProposalOutcome.AlreadyDecided>(rejected).Decision.Record.EventId);
        Assert.Equal(6, Assert.IsType<ProposalOutcome.AlreadyDecided>(approvedAgain).Decision.Revision);
        Assert.Equal(8, (await ReadStreamAsync()).Count);
        Assert.Equal(4_740m, await BalanceAsync());
    }

    // ---- Idempotency ----------------------------------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task TheSameApprovalCommandRetried_AnswersTheSameApproved_AndWritesOnce()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var approve = Decide(proposalId, Approver);

        var first = await _service.ApproveAsync(approve, TestContext.Current.CancellationToken);
        var again = await _service.ApproveAsync(approve, TestContext.Current.CancellationToken);
        var fromAnotherServer = await new CorrectionService(_store, new AccountTimelines(_store), _clock, _service.Thresholds).ApproveAsync(approve, TestContext.Current.CancellationToken);

        Assert.Equal(first, again);
        Assert.Equal(first, fromAnotherServer);
        Assert.Equal(6, Assert.IsType<ProposalOutcome.Approved>(first).ApprovalRevision);
        Assert.Equal(8, (await ReadStreamAsync()).Count);
        Assert.Equal(4_740m, await BalanceAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameRejectionCommandRetried_AnswersTheSameRejected_AndWritesOnce()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var reject = Decide(proposalId, Approver, note: RejectReason);

        var first = await _service.RejectAsync(reject, TestContext.Current.CancellationToken);
        var again = await _service.RejectAsync(reject, TestContext.Current.CancellationToken);

        Assert.Equal(new ProposalOutcome.Rejected(6), first);
        Assert.Equal(first, again);
        Assert.Equal(7, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ACommandIdReusedForAnotherProposal_IsRefused_OnCommandId()
    {
        Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(2_000m), expectedRevision: 4, out var first), TestContext.Current.CancellationToken));
        Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(-3_000m), expectedRevision: 5, out var second), TestContext.Current.CancellationToken));
        var commandId = Guid.NewGuid();
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(first, Approver) with { CommandId = commandId }, TestContext.Current.CancellationToken));

        var outcome = await _service.ApproveAsync(Decide(second, Approver) with { CommandId = commandId }, TestContext.Current.CancellationToken);

        var refused = Assert.IsType<ProposalOutcome.Refused>(outcome);
        Assert.Equal(["commandId"], refused.Errors.Keys);
        Assert.Equal(9, (await ReadStreamAsync()).Count);
        Assert.Equal(second, Assert.Single(ProposalSearch.Pending((await FreshTimelineAsync()).Snapshot)).Record.EventId);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnApprovalCommandIdRetriedAsARejection_IsRefused_OnCommandId_AndTheApprovalStands()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var approve = Decide(proposalId, Approver);
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(approve, TestContext.Current.CancellationToken));

        var outcome = await _service.RejectAsync(approve with { Note = RejectReason }, TestContext.Current.CancellationToken);

        Assert.Equal(["commandId"], Assert.IsType<ProposalOutcome.Refused>(outcome).Errors.Keys);
        Assert.Equal(8, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task AProposalInAnotherCurrency_StoredByAnotherWriter_IsFlagged_AndCannotBeApproved_OnlyRejected()
    {
        var foreignId = Guid.NewGuid();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(4),
            [AccountEventCodec.Encode(foreignId, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 5_000m, "USD", Seeded), new EventMetadata(Proposer, Reason, "other", null, "other-writer"))],
            TestContext.Current.CancellationToken);
        var entry = ProposalSearch.FindEvent((await FreshTimelineAsync()).Snapshot, foreignId);
        Assert.Equal(EntryWarning.Inconsistent, entry!.Warning);

        var approval = await _service.ApproveAsync(Decide(foreignId, Approver), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<ProposalOutcome.Refused>(approval);
        Assert.Contains("USD differs from the account's EUR", Assert.Single(refused.Errors["proposalId"]), StringComparison.Ordinal);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
        Assert.Equal(9_740m, await BalanceAsync());
        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(Decide(foreignId, Approver, RejectReason), TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task AProposalWithoutAReadableAuthor_CannotBeApproved_ByAnyone_OnlyRejected()
    {
        var anonymousId = Guid.NewGuid();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(4),
            [new EventData(anonymousId, AccountEventTypes.CorrectionProposed,
                AccountEventCodec.Encode(anonymousId, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 5_000m, "EUR", Seeded), new EventMetadata("x", Reason, "c", null, "s")).Data,
                "not json"u8.ToArray())],
            TestContext.Current.CancellationToken);

        var approval = await _service.ApproveAsync(Decide(anonymousId, Approver), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<ProposalOutcome.Refused>(approval);
        Assert.Contains("no readable author", Assert.Single(refused.Errors["proposalId"]), StringComparison.Ordinal);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(Decide(anonymousId, Approver, RejectReason), TestContext.Current.CancellationToken));
        var proposals = new CorrectionProposals();
        foreach (var record in await ReadStreamAsync())
            proposals.Apply(AccountId, record);
        Assert.Equal(CorrectionProposals.UnknownActor, proposals.Find(anonymousId)!.ProposedBy);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheReadModel_RaisesChanged_OnceForEachProposalAndDecision_NotForARepeat()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(proposalId, Approver), TestContext.Current.CancellationToken));
        var proposals = new CorrectionProposals();
        var changes = new List<ProposalStatus>();
        proposals.Changed += (_, view) => changes.Add(view.Status);

        var records = await ReadStreamAsync();
        foreach (var record in records.Concat(records))
            proposals.Apply(AccountId, record);

        Assert.Equal([ProposalStatus.Pending, ProposalStatus.Approved], changes);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnEmptyCommandId_IsRefused_OnCommandId()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver) with { CommandId = Guid.Empty }, TestContext.Current.CancellationToken);

        Assert.Equal(["commandId"], Assert.IsType<ProposalOutcome.Refused>(outcome).Errors.Keys);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    // ---- Concurrency -----------------------------------------------------------------------------------------------

    [Fact(Timeout = 60_000)]
    public async Task TwentyUsersApprovingAtOnce_WriteOneApprovalAndOneCorrection()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var commands = Enumerable.Range(1, 20).Select(i => Decide(proposalId, $"support:user{i}")).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var approvals = commands.Select(c => Task.Run(
            async () =>
            {
                await gate.Task;
                return await _service.ApproveAsync(c, TestContext.Current.CancellationToken);
            },
            TestContext.Current.CancellationToken)).ToList();

        gate.SetResult();
        var results = (await Task.WhenAll(approvals)).ToList();

        var winner = Assert.Single(results.OfType<ProposalOutcome.Approved>());
        Assert.All(results.Where(o => o is not ProposalOutcome.Approved), o => Assert.True(o is ProposalOutcome.AlreadyDecided or ProposalOutcome.Conflict, $"Unexpected {o}"));
        Assert.Equal(6, winner.ApprovalRevision);

        var events = await ReadStreamAsync();
        Assert.Equal(8, events.Count);
        Assert.Single(events, e => e.EventType == AccountEventTypes.CorrectionApproved);
        Assert.Single(events, e => e.EventType == AccountEventTypes.TransactionReversed);
        var winnerIndex = results.IndexOf(winner);
        Assert.Equal(commands[winnerIndex].CommandId, events[6].EventId);
        Assert.Equal(commands[winnerIndex].Actor, AccountEventCodec.Decode(events[7]).Metadata!.ApprovedBy);
        Assert.Equal(4_740m, await BalanceAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task ApprovalsAndRejectionsRacing_DecideTheProposalOnce()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(
            () => i % 2 == 0
                ? _service.ApproveAsync(Decide(proposalId, $"support:user{i}"), TestContext.Current.CancellationToken)
                : _service.RejectAsync(Decide(proposalId, $"support:user{i}", note: RejectReason), TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken)));

        var decided = Assert.Single(outcomes, o => o is ProposalOutcome.Approved or ProposalOutcome.Rejected);
        Assert.All(outcomes.Where(o => !ReferenceEquals(o, decided)), o => Assert.True(o is ProposalOutcome.AlreadyDecided or ProposalOutcome.Conflict, $"Unexpected {o}"));
        var events = await ReadStreamAsync();
        Assert.Single(events, e => e.EventType is AccountEventTypes.CorrectionApproved or AccountEventTypes.CorrectionRejected);
        Assert.Equal(decided is ProposalOutcome.Approved ? 8 : 7, events.Count);
        Assert.Equal(decided is ProposalOutcome.Approved ? 4_740m : 9_740m, await BalanceAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task TheSameApprovalCommandSentFiveTimesAtOnce_IsApprovedEveryTime_AndWrittenOnce()
    {
        var (proposalId, _) = await ProposeReversalAsync();
        var approve = Decide(proposalId, Approver);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => _service.ApproveAsync(approve, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));

        Assert.All(outcomes, o => Assert.Equal(new ProposalOutcome.Approved(6, 7, new TransactionReversed(_ids[2], 2, -5_000m, "EUR", Seeded)), o));
        Assert.Equal(8, (await ReadStreamAsync()).Count);
    }

    // ---- Not found -------------------------------------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task AnUnknownProposal_OrAnEventThatIsNoProposal_IsNotFound()
    {
        await ProposeReversalAsync();

        Assert.IsType<ProposalOutcome.NotFound>(await _service.ApproveAsync(Decide(Guid.NewGuid(), Approver), TestContext.Current.CancellationToken));
        Assert.IsType<ProposalOutcome.NotFound>(await _service.RejectAsync(Decide(Guid.NewGuid(), Approver, RejectReason), TestContext.Current.CancellationToken));
        Assert.IsType<ProposalOutcome.NotFound>(await _service.ApproveAsync(Decide(_ids[2], Approver), TestContext.Current.CancellationToken));
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("FEY-404")]
    [InlineData("not*an~id")]
    public async Task AnUnknownOrMalformedAccount_IsNotFound_AndNoStreamIsCreated(string accountId)
    {
        var (proposalId, _) = await ProposeReversalAsync();

        Assert.IsType<ProposalOutcome.NotFound>(await _service.ApproveAsync(Decide(proposalId, Approver) with { AccountId = accountId }, TestContext.Current.CancellationToken));
        Assert.IsType<ProposalOutcome.NotFound>(await _service.RejectAsync(Decide(proposalId, Approver, RejectReason) with { AccountId = accountId }, TestContext.Current.CancellationToken));
        if (AccountIds.IsValid(accountId))
            Assert.Null(await _store.GetLastRevisionAsync(AccountIds.StreamOf(accountId), TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task AProposalOfAnotherAccount_IsNotFound()
    {
        var (proposalId, _) = await ProposeReversalAsync();

        var outcome = await _service.ApproveAsync(Decide(proposalId, Approver) with { AccountId = DollarAccountId }, TestContext.Current.CancellationToken);

        Assert.IsType<ProposalOutcome.NotFound>(outcome);
        Assert.Equal(2, (await ReadStreamAsync(DollarAccountId)).Count);
        Assert.Equal(6, (await ReadStreamAsync()).Count);
    }

    // ---- The read model --------------------------------------------------------------------------------------------

    [Fact(Timeout = 30_000)]
    public async Task TheLedgerFeed_ListsAProposalAsPending_AndMovesItToDecidedOnApproval()
    {
        var proposals = new CorrectionProposals();
        var changes = new ConcurrentQueue<ProposalView>();
        proposals.Changed += (_, view) => changes.Enqueue(view);
        var directory = new AccountDirectory();
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        directory.CaughtUp += (_, _) => caughtUp.TrySetResult();
        var feed = new LedgerFeed(_store, TimeProvider.System, directory, _timelines, proposals);
        using var stopFeed = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = feed.RunAsync(TimeSpan.FromMilliseconds(50), stopFeed.Token);
        try
        {
            await caughtUp.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Empty(proposals.Pending());

            var (proposalId, proposal) = await ProposeReversalAsync();
            await UntilAsync(() => proposals.PendingCount == 1, "the proposal to be listed as pending");

            var pending = Assert.Single(proposals.Pending());
            Assert.Equal(proposalId, pending.ProposalId);
            Assert.Equal(AccountId, pending.AccountId);
            Assert.Equal(5, pending.Revision);
            Assert.Equal(Proposer, pending.ProposedBy);
            Assert.Equal(Reason, pending.Reason);
            Assert.Equal(proposal.Event, pending.Proposal);
            Assert.Equal(proposal.Recorded, pending.ProposedAt);
            Assert.Equal(ProposalStatus.Pending, pending.Status);
            Assert.Null(pending.DecidedBy);
            Assert.Empty(proposals.Decided(10));

            _clock.Now = Seeded.AddHours(5);
            Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(proposalId, Approver, note: "Checked against the gateway log"), TestContext.Current.CancellationToken));
            await UntilAsync(() => proposals.Find(proposalId)?.Status == ProposalStatus.Approved, "the proposal to be listed as approved");

            Assert.Empty(proposals.Pending());
            Assert.Equal(0, proposals.PendingCount);
            var decided = Assert.Single(proposals.Decided(10));
            Assert.Equal(proposalId, decided.ProposalId);
            Assert.Equal(ProposalStatus.Approved, decided.Status);
            Assert.Equal(Approver, decided.DecidedBy);
            Assert.Equal(6, decided.DecisionRevision);
            Assert.Equal(Seeded.AddHours(5), decided.DecidedAt);
            Assert.Equal("Checked against the gateway log", decided.DecisionReason);
            Assert.Equal(Proposer, decided.ProposedBy);
            Assert.Equal([ProposalStatus.Pending, ProposalStatus.Approved], changes.Select(c => c.Status));
        }
        finally
        {
            await stopFeed.CancelAsync();
            await running;
        }

        Assert.Null(feed.LastError);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheReadModel_FedTheStoredRecords_TracksEveryProposal_AndReapplyingThemChangesNothing()
    {
        Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(2_000m), expectedRevision: 4, out var approvedId), TestContext.Current.CancellationToken));
        Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(-3_000m), expectedRevision: 5, out var rejectedId), TestContext.Current.CancellationToken));
        Assert.IsType<CorrectionOutcome.Proposed>(await _service.PostAsync(Post(Adjust(4_000m), expectedRevision: 6, out var pendingId), TestContext.Current.CancellationToken));
        _clock.Now = Seeded.AddHours(2);
        Assert.IsType<ProposalOutcome.Approved>(await _service.ApproveAsync(Decide(approvedId, Approver), TestContext.Current.CancellationToken));
        _clock.Now = Seeded.AddHours(3);
        Assert.IsType<ProposalOutcome.Rejected>(await _service.RejectAsync(Decide(rejectedId, "support:rosa", RejectReason), TestContext.Current.CancellationToken));
        var records = await ReadStreamAsync();
        var proposals = new CorrectionProposals();

        foreach (var record in records)
            proposals.Apply(AccountId, record);
        var pending = proposals.Pending();
        var decided = proposals.Decided(10);
        foreach (var record in records)
            proposals.Apply(AccountId, record);

        Assert.Equal(pendingId, Assert.Single(pending).ProposalId);
        Assert.Equal(1, proposals.PendingCount);
        Assert.Equal([rejectedId, approvedId], decided.Select(d => d.ProposalId));
        Assert.Equal([ProposalStatus.Rejected, ProposalStatus.Approved], decided.Select(d => d.Status));
        Assert.Equal(["support:rosa", Approver], decided.Select(d => d.DecidedBy));
        Assert.Equal([10L, 8L], decided.Select(d => d.DecisionRevision!.Value));
        Assert.Equal(RejectReason, decided[0].DecisionReason);
        Assert.Equal(rejectedId, Assert.Single(proposals.Decided(1)).ProposalId);

        // Re-applied: the same rows, the same order.
        Assert.Equal(pending, proposals.Pending());
        Assert.Equal(decided, proposals.Decided(10));
        Assert.Equal(decided[1], proposals.Find(approvedId));
        Assert.Null(proposals.Find(Guid.NewGuid()));
    }

    [Fact(Timeout = 30_000)]
    public async Task ProposingAndApproving_LoadTheAccount_OnlyWhenNotReadingItCompactly()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var proposed = await _service.PostAsync(Post(Reverse(_ids[2]), expectedRevision: 4, out var proposalId), cancellationToken);
        var approved = await _service.ApproveAsync(Decide(proposalId, Approver), cancellationToken);

        Assert.Equal(5, Assert.IsType<CorrectionOutcome.Proposed>(proposed).Revision);
        Assert.Equal(7, Assert.IsType<ProposalOutcome.Approved>(approved).CorrectionRevision);
        Assert.Equal(!Compact, _timelines.Holds(AccountId));
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    private static CorrectionRequest Reverse(Guid eventId) => new(CorrectionKind.Reversal, eventId, null, Reason, null);

    private static CorrectionRequest Adjust(decimal amount) => new(CorrectionKind.Adjustment, null, amount, Reason, null);

    private static decimal Parse(string amount) => decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

    private static CorrectionCommand Post(CorrectionRequest request, long expectedRevision) => Post(request, expectedRevision, out _);

    private static CorrectionCommand Post(CorrectionRequest request, long expectedRevision, out Guid commandId)
    {
        commandId = Guid.NewGuid();
        return new(AccountId, request, expectedRevision, commandId, Proposer, Guid.NewGuid().ToString("N"), "tests");
    }

    private static ProposalCommand Decide(Guid proposalId, string actor, string? note = null) =>
        new(AccountId, proposalId, Guid.NewGuid(), actor, note, "tests");

    private static EventData Encode(Guid id, AccountEvent accountEvent) =>
        AccountEventCodec.Encode(id, accountEvent, new EventMetadata("teller:ana", "Seed", "seed", null, "tests"));

    /// <summary>Proposes reversing the duplicate deposit (revision 2): the proposal lands at revision 5.</summary>
    private async Task<(Guid ProposalId, TimelineEntry Proposal)> ProposeReversalAsync()
    {
        var outcome = await _service.PostAsync(Post(Reverse(_ids[2]), expectedRevision: 4, out var proposalId), TestContext.Current.CancellationToken);
        Assert.Equal(5, Assert.IsType<CorrectionOutcome.Proposed>(outcome).Revision);
        var entry = ProposalSearch.FindEvent((await FreshTimelineAsync()).Snapshot, proposalId);
        Assert.NotNull(entry);
        return (proposalId, entry);
    }

    private async Task<AccountTimeline> FreshTimelineAsync(string accountId = AccountId) =>
        await new AccountTimelines(_store).GetAsync(accountId, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"No account {accountId}.");

    private async Task<decimal> BalanceAsync(string accountId = AccountId) => (await FreshTimelineAsync(accountId)).Snapshot.Current.Balance;

    private async Task<List<RecordedEvent>> ReadStreamAsync(string accountId = AccountId)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in _store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, StreamRevision.Start, long.MaxValue, TestContext.Current.CancellationToken))
            events.Add(e);
        return events;
    }

    private static Task UntilAsync(Func<bool> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
}

/// <summary>The same, with the service reading each account as a compact snapshot of it (as it reads a long account).</summary>
public sealed class CorrectionApprovalTestsWithCompactReads : CorrectionApprovalTests
{
    protected override bool Compact => true;
}
