using System.Text.Json;
using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Corrections;

/// <summary>
/// The pure parts of four-eyes approval: when a correction needs a second Support user, how proposals and their
/// decisions are found in a timeline, how the three events are stored, and that none of them moves money.
/// </summary>
public sealed class ProposalTests
{
    private const string Reason = "Deposit recorded twice by the gateway";
    private static readonly DateTimeOffset Now = T0.AddDays(30);
    private static readonly Guid SomeEvent = Guid.Parse("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f");

    private static readonly ApprovalThresholds EuroOnly = new(new Dictionary<string, decimal> { ["EUR"] = 1_000m }, otherwise: null);

    // ---- ApprovalThresholds ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("1000", false)]
    [InlineData("999.99", false)]
    [InlineData("0.01", false)]
    [InlineData("1000.01", true)]
    [InlineData("-1000", false)]
    [InlineData("-1000.01", true)]
    [InlineData("250000", true)]
    public void RequireApproval_IsStrictlyAboveTheThreshold_OnTheAbsoluteAmount(string amount, bool expected)
    {
        Assert.Equal(expected, EuroOnly.RequireApproval(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "EUR"));
    }

    [Fact]
    public void RequireApproval_MatchesTheCurrencyIgnoringCase()
    {
        Assert.True(EuroOnly.RequireApproval(1_000.01m, "eur"));
        Assert.False(EuroOnly.RequireApproval(1_000m, "Eur"));
        Assert.Equal(1_000m, EuroOnly.For("eUR"));
    }

    [Fact]
    public void ACurrencyWithoutThresholdAndWithoutFallback_NeverNeedsApproval()
    {
        Assert.Null(EuroOnly.For("USD"));
        Assert.False(EuroOnly.RequireApproval(CorrectionRules.MaxAmount, "USD"));
        Assert.False(EuroOnly.RequireApproval(-CorrectionRules.MaxAmount, "USD"));
    }

    [Fact]
    public void TheFallback_AppliesToUnlistedCurrencies_AndAListedCurrencyKeepsItsOwnThreshold()
    {
        var thresholds = new ApprovalThresholds(new Dictionary<string, decimal> { ["EUR"] = 1_000m, ["JPY"] = 150_000m }, otherwise: 500m);

        Assert.Equal(500m, thresholds.For("USD"));
        Assert.False(thresholds.RequireApproval(500m, "USD"));
        Assert.True(thresholds.RequireApproval(-500.01m, "USD"));
        Assert.False(thresholds.RequireApproval(800m, "EUR"));
        Assert.True(thresholds.RequireApproval(1_000.01m, "EUR"));
        Assert.False(thresholds.RequireApproval(150_000m, "JPY"));
        Assert.True(thresholds.RequireApproval(150_001m, "jpy"));
    }

    [Fact]
    public void AThresholdOfZero_SendsEveryCorrectionToApproval()
    {
        var thresholds = new ApprovalThresholds(new Dictionary<string, decimal> { ["EUR"] = 0m }, otherwise: null);

        Assert.True(thresholds.RequireApproval(0.01m, "EUR"));
        Assert.True(thresholds.RequireApproval(-0.01m, "EUR"));
    }

    [Fact]
    public void None_NeverRequiresApproval()
    {
        Assert.Null(ApprovalThresholds.None.For("EUR"));
        Assert.False(ApprovalThresholds.None.RequireApproval(CorrectionRules.MaxAmount, "EUR"));
        Assert.False(ApprovalThresholds.None.RequireApproval(-CorrectionRules.MaxAmount, "XYZ"));
    }

    [Fact]
    public void TheThresholdsAreCopied_LaterChangesToTheDictionaryDoNotLeakIn()
    {
        var source = new Dictionary<string, decimal> { ["EUR"] = 1_000m };
        var thresholds = new ApprovalThresholds(source, otherwise: null);

        source["EUR"] = 1m;
        source["USD"] = 1m;

        Assert.False(thresholds.RequireApproval(999m, "EUR"));
        Assert.False(thresholds.RequireApproval(999m, "USD"));
    }

    // ---- ProposalSearch -----------------------------------------------------------------------------------------

    [Fact]
    public void Pending_ListsUndecidedProposals_OldestFirst()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
        var first = Recorded(2, ProposeReversal(deposit.EventId, 1, -5_000m));
        var second = Recorded(3, ProposeAdjustment(2_000m), Meta("support:bo"));
        var third = Recorded(4, ProposeAdjustment(-3_000m), Meta("support:cy"));

        var pending = ProposalSearch.Pending(Fold(opened, deposit, first, second, third));

        Assert.Equal([first.EventId, second.EventId, third.EventId], pending.Select(p => p.Record.EventId));
        Assert.Equal([2L, 3L, 4L], pending.Select(p => p.Revision));
    }

    [Fact]
    public void Pending_DropsApprovedAndRejectedProposals_AndDecisionOfFindsTheirDecisions()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
        var approvedOne = Recorded(2, ProposeReversal(deposit.EventId, 1, -5_000m));
        var rejectedOne = Recorded(3, ProposeAdjustment(2_000m));
        var stillOpen = Recorded(4, ProposeAdjustment(-3_000m));
        var approval = Recorded(5, new CorrectionApproved(approvedOne.EventId, 2), Meta("support:bo"));
        var correction = Recorded(6, new TransactionReversed(deposit.EventId, 1, -5_000m, "EUR", T0.AddMinutes(1)));
        var rejection = Recorded(7, new CorrectionRejected(rejectedOne.EventId, 3), Meta("support:cy", "Not needed after all"));
        var timeline = Fold(opened, deposit, approvedOne, rejectedOne, stillOpen, approval, correction, rejection);

        var pending = Assert.Single(ProposalSearch.Pending(timeline));

        Assert.Equal(stillOpen.EventId, pending.Record.EventId);
        Assert.Equal(approval.EventId, ProposalSearch.DecisionOf(timeline, approvedOne.EventId)?.Record.EventId);
        Assert.Equal(rejection.EventId, ProposalSearch.DecisionOf(timeline, rejectedOne.EventId)?.Record.EventId);
        Assert.Null(ProposalSearch.DecisionOf(timeline, stillOpen.EventId));
        Assert.Null(ProposalSearch.DecisionOf(timeline, Guid.NewGuid()));

        // As the timeline was before the decisions, all three were pending.
        Assert.Equal(3, ProposalSearch.Pending(timeline.Take(5).ToList()).Count);
        Assert.Null(ProposalSearch.DecisionOf(timeline.Take(5).ToList(), approvedOne.EventId));
    }

    [Fact]
    public void ADecisionNamingAnUnknownProposal_LeavesThePendingOnesAlone()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var proposal = Recorded(1, ProposeAdjustment(2_000m));
        var strayApproval = Recorded(2, new CorrectionApproved(Guid.NewGuid(), 1));
        var strayRejection = Recorded(3, new CorrectionRejected(Guid.NewGuid(), 1));

        var pending = ProposalSearch.Pending(Fold(opened, proposal, strayApproval, strayRejection));

        Assert.Equal(proposal.EventId, Assert.Single(pending).Record.EventId);
    }

    [Fact]
    public void Pending_OfATimelineWithoutProposals_IsEmpty()
    {
        Assert.Empty(ProposalSearch.Pending([]));
        Assert.Empty(ProposalSearch.Pending(Fold(Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")), Recorded(1, new FundsDeposited(5m, "EUR", null)))));
    }

    [Fact]
    public void FindEvent_FindsAnyEntryById_OrNull()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5m, "EUR", null));
        var timeline = Fold(opened, deposit);

        Assert.Equal(1, ProposalSearch.FindEvent(timeline, deposit.EventId)?.Revision);
        Assert.Equal(0, ProposalSearch.FindEvent(timeline, opened.EventId)?.Revision);
        Assert.Null(ProposalSearch.FindEvent(timeline, Guid.NewGuid()));
    }

    // ---- CorrectionRules with pending proposals ------------------------------------------------------------------

    [Fact]
    public void AReversalOfAnEventWithAPendingReversalProposal_IsRefused_UnlessItIsThatProposalBeingApproved()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
        var proposal = Recorded(2, ProposeReversal(deposit.EventId, 1, -5_000m));
        var timeline = Fold(opened, deposit, proposal);
        var request = new CorrectionRequest(CorrectionKind.Reversal, deposit.EventId, null, Reason, null);

        var direct = CorrectionRules.Decide(request, timeline, Now);
        var approving = CorrectionRules.Decide(request, timeline, Now, approving: proposal.EventId);
        var approvingAnother = CorrectionRules.Decide(request, timeline, Now, approving: Guid.NewGuid());

        Assert.False(direct.IsValid);
        var error = Assert.Single(direct.Errors["eventId"]);
        Assert.Contains("already proposed for reversal", error, StringComparison.Ordinal);
        Assert.Contains("revision 2", error, StringComparison.Ordinal);
        Assert.True(approving.IsValid);
        Assert.Equal(-5_000m, Assert.IsType<TransactionReversed>(approving.Correction).Amount);
        Assert.False(approvingAnother.IsValid);
    }

    [Fact]
    public void ARejectedReversalProposal_NoLongerBlocks_AndAPendingAdjustmentNeverDid()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
        var proposal = Recorded(2, ProposeReversal(deposit.EventId, 1, -5_000m));
        var rejection = Recorded(3, new CorrectionRejected(proposal.EventId, 2), Meta("support:bo", "Not a duplicate after all"));
        var adjustment = Recorded(4, new CorrectionProposed(AccountEventTypes.BalanceCorrected, deposit.EventId, 1, -2_500m, "EUR", T0));
        var request = new CorrectionRequest(CorrectionKind.Reversal, deposit.EventId, null, Reason, null);

        Assert.True(CorrectionRules.Decide(request, Fold(opened, deposit, proposal, rejection), Now).IsValid);
        Assert.True(CorrectionRules.Decide(request, Fold(opened, deposit, adjustment), Now).IsValid);
    }

    // ---- Codec ----------------------------------------------------------------------------------------------------

    public static TheoryData<AccountEvent, string> FourEyesEvents => new()
    {
        { new CorrectionProposed(AccountEventTypes.TransactionReversed, SomeEvent, 4, -1_250.50m, "EUR", T0), "CorrectionProposed" },
        { new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 2_000m, "EUR", T0.AddHours(2)), "CorrectionProposed" },
        { new CorrectionProposed(AccountEventTypes.BalanceCorrected, SomeEvent, 7, -0.01m, "USD", T0), "CorrectionProposed" },
        { new CorrectionApproved(SomeEvent, 12), "CorrectionApproved" },
        { new CorrectionRejected(SomeEvent, 3), "CorrectionRejected" },
    };

    [Theory]
    [MemberData(nameof(FourEyesEvents))]
    public void Encode_ThenDecode_RoundTripsTheFourEyesEvents(AccountEvent accountEvent, string wireName)
    {
        var metadata = new EventMetadata("support:ana", "Because it was wrong", "corr", "cause", "tests");

        var decoded = AccountEventCodec.Decode(Stored(AccountEventCodec.Encode(Guid.NewGuid(), accountEvent, metadata)));

        Assert.Equal(wireName, AccountEventTypes.NameOf(accountEvent));
        Assert.Equal(accountEvent, decoded.Event);
        Assert.Equal(metadata, decoded.Metadata);
        Assert.Equal(EntryWarning.None, decoded.Warning);
        Assert.Null(decoded.Problem);
    }

    [Fact]
    public void TheFourEyesWireNames_AreStable_AndListedTogether()
    {
        Assert.Equal(["CorrectionProposed", "CorrectionApproved", "CorrectionRejected"], AccountEventTypes.FourEyes);
        Assert.All(AccountEventTypes.FourEyes, name => Assert.Contains(name, AccountEventTypes.All));
        Assert.All(AccountEventTypes.FourEyes, name => Assert.DoesNotContain(name, AccountEventTypes.Corrections));
        Assert.True(AccountEventTypes.TryGetType("CorrectionApproved", out var type));
        Assert.Equal(typeof(CorrectionApproved), type);
    }

    [Fact]
    public void AProposal_IsStoredAsCamelCaseJson_WithTheCorrectionsWireName()
    {
        var data = AccountEventCodec.Encode(Guid.NewGuid(), new CorrectionProposed(AccountEventTypes.TransactionReversed, SomeEvent, 4, -1_250.50m, "EUR", T0), Meta());

        using var json = JsonDocument.Parse(data.Data);
        var root = json.RootElement;
        Assert.Equal("TransactionReversed", root.GetProperty("correction").GetString());
        Assert.Equal(SomeEvent, root.GetProperty("eventId").GetGuid());
        Assert.Equal(4, root.GetProperty("eventRevision").GetInt64());
        Assert.Equal(-1_250.50m, root.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", root.GetProperty("currency").GetString());
        Assert.Equal(T0, root.GetProperty("effectiveAt").GetDateTimeOffset());
    }

    [Fact]
    public void ApprovedBy_IsStoredInTheMetadata_AndOmittedWhenNull()
    {
        var approved = new EventMetadata("support:ana", "Duplicate deposit", "corr", "cause", "tests", ApprovedBy: "support:bo");
        var plain = new EventMetadata("support:ana", "Duplicate deposit", "corr", null, "tests");

        var withApprover = AccountEventCodec.Encode(Guid.NewGuid(), new BalanceCorrected(5m, "EUR", null, T0), approved);
        var without = AccountEventCodec.Encode(Guid.NewGuid(), new BalanceCorrected(5m, "EUR", null, T0), plain);

        using (var json = JsonDocument.Parse(withApprover.Metadata))
            Assert.Equal("support:bo", json.RootElement.GetProperty("approvedBy").GetString());
        using (var json = JsonDocument.Parse(without.Metadata))
            Assert.False(json.RootElement.TryGetProperty("approvedBy", out _));
        Assert.Equal(approved, AccountEventCodec.Decode(Stored(withApprover)).Metadata);
        Assert.Equal(plain, AccountEventCodec.Decode(Stored(without)).Metadata);
    }

    [Fact]
    public void MetadataWrittenBeforeFourEyes_StillDecodes_WithoutAnApprover()
    {
        var decoded = AccountEventCodec.Decode(Raw(1, AccountEventTypes.BalanceCorrected, """{"amount":5,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}"""));

        Assert.Equal(EntryWarning.None, decoded.Warning);
        Assert.Null(decoded.Metadata!.ApprovedBy);
        Assert.Equal("a", decoded.Metadata.Actor);
    }

    [Theory]
    [InlineData("""{"correction":"FundsDeposited","eventId":"6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f","eventRevision":1,"amount":5,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "FundsDeposited")]
    [InlineData("""{"correction":"Banana","amount":5,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "Banana")]
    [InlineData("""{"amount":5,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "not ''")]
    [InlineData("""{"correction":"BalanceCorrected","amount":0,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "zero")]
    [InlineData("""{"correction":"TransactionReversed","eventRevision":1,"amount":-5,"currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "names no event")]
    [InlineData("""{"correction":"BalanceCorrected","amount":5,"currency":"euro","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "euro")]
    [InlineData("""{"correction":"BalanceCorrected","amount":"5","currency":"EUR","effectiveAt":"2026-03-01T09:00:00+00:00"}""", "does not parse")]
    public void ABrokenProposal_IsFlaggedUnreadable(string data, string problem)
    {
        var decoded = AccountEventCodec.Decode(Raw(1, AccountEventTypes.CorrectionProposed, data));

        Assert.Null(decoded.Event);
        Assert.Equal(EntryWarning.Unreadable, decoded.Warning);
        Assert.Contains(problem, decoded.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AProposedAdjustment_NeedsNoEvent_ButAProposedReversalDoes()
    {
        var adjustment = AccountEventCodec.Decode(Recorded(1, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, -5m, "EUR", T0)));
        var reversal = AccountEventCodec.Decode(Recorded(1, new CorrectionProposed(AccountEventTypes.TransactionReversed, null, null, -5m, "EUR", T0)));

        Assert.Equal(EntryWarning.None, adjustment.Warning);
        Assert.Equal(EntryWarning.Unreadable, reversal.Warning);
        Assert.Null(reversal.Event);
    }

    [Theory]
    [InlineData(AccountEventTypes.CorrectionApproved, """{"proposalId":"00000000-0000-0000-0000-000000000000","proposalRevision":1}""", "approval names no proposal")]
    [InlineData(AccountEventTypes.CorrectionApproved, """{"proposalRevision":1}""", "approval names no proposal")]
    [InlineData(AccountEventTypes.CorrectionRejected, """{"proposalId":"00000000-0000-0000-0000-000000000000","proposalRevision":1}""", "rejection names no proposal")]
    [InlineData(AccountEventTypes.CorrectionRejected, """{"proposalId":"not-a-guid","proposalRevision":1}""", "does not parse")]
    public void ADecisionNamingNoProposal_IsFlaggedUnreadable(string type, string data, string problem)
    {
        var decoded = AccountEventCodec.Decode(Raw(1, type, data));

        Assert.Null(decoded.Event);
        Assert.Equal(EntryWarning.Unreadable, decoded.Warning);
        Assert.Contains(problem, decoded.Problem, StringComparison.Ordinal);
    }

    // ---- Fold and timeline ----------------------------------------------------------------------------------------

    [Fact]
    public void Evolve_LeavesTheStateAsItIs_ForAProposalAnApprovalAndARejection()
    {
        var state = Fold(Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")), Recorded(1, new FundsDeposited(5_000m, "EUR", null)))[^1].StateAfter;

        Assert.Same(state, AccountFold.Evolve(state, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, -4_000m, "EUR", T0)));
        Assert.Same(state, AccountFold.Evolve(state, new CorrectionApproved(SomeEvent, 2)));
        Assert.Same(state, AccountFold.Evolve(state, new CorrectionRejected(SomeEvent, 2)));
    }

    [Fact]
    public void AFoldedProposalAndItsDecisions_MoveTheRevisionButNotTheBalance_OnlyTheCorrectionDoes()
    {
        var opened = Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR"));
        var deposit = Recorded(1, new FundsDeposited(5_000m, "EUR", null));
        var proposal = Recorded(2, ProposeReversal(deposit.EventId, 1, -5_000m));
        var other = Recorded(3, ProposeAdjustment(1_500m));
        var rejection = Recorded(4, new CorrectionRejected(other.EventId, 3), Meta("support:bo", "Not needed after all"));
        var approval = Recorded(5, new CorrectionApproved(proposal.EventId, 2), Meta("support:bo"));
        var reversal = Recorded(6, new TransactionReversed(deposit.EventId, 1, -5_000m, "EUR", T0.AddMinutes(1)));

        var entries = Fold(opened, deposit, proposal, other, rejection, approval, reversal);

        Assert.Equal([0m, 5_000m, 5_000m, 5_000m, 5_000m, 5_000m, 0m], entries.Select(e => e.StateAfter.Balance));
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L], entries.Select(e => e.StateAfter.Revision!.Value));
        Assert.All(entries, e => Assert.Equal(EntryWarning.None, e.Warning));
        Assert.Equal([false, false, true, true, true, true, false], entries.Select(e => e.IsFourEyes));
        Assert.Equal([false, false, false, false, false, false, true], entries.Select(e => e.IsCorrection));
        Assert.All(entries.Skip(2).Take(4), e => Assert.Null(e.Amount));
        Assert.All(entries.Skip(2).Take(4), e => Assert.Equal(e.Recorded, e.EffectiveAt));
    }

    [Fact]
    public void AProposalInAnotherCurrency_IsFlaggedInconsistent_AndLeavesTheBalance()
    {
        var entries = Fold(
            Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
            Recorded(1, new FundsDeposited(5_000m, "EUR", null)),
            Recorded(2, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, -4_000m, "USD", T0)));

        Assert.Equal(EntryWarning.Inconsistent, entries[2].Warning);
        Assert.Contains("USD", entries[2].Problem, StringComparison.Ordinal);
        Assert.Contains("EUR", entries[2].Problem, StringComparison.Ordinal);
        Assert.Equal(5_000m, entries[2].StateAfter.Balance);
        Assert.Equal(2, entries[2].StateAfter.Revision);
        Assert.NotNull(AccountFold.Inconsistency(entries[1].StateAfter, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 1m, "GBP", T0)));
        Assert.Null(AccountFold.Inconsistency(entries[1].StateAfter, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 1m, "EUR", T0)));
    }

    [Fact]
    public void FourEyesEventsBeforeTheOpening_AreFlaggedInconsistent()
    {
        var entries = Fold(
            Recorded(0, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 5m, "EUR", T0)),
            Recorded(1, new CorrectionApproved(SomeEvent, 0)),
            Recorded(2, new CorrectionRejected(SomeEvent, 0)));

        Assert.All(entries, e => Assert.Equal(EntryWarning.Inconsistent, e.Warning));
        Assert.All(entries, e => Assert.Equal(AccountStatus.NotOpened, e.StateAfter.Status));
    }

    private static CorrectionProposed ProposeReversal(Guid eventId, long revision, decimal amount) =>
        new(AccountEventTypes.TransactionReversed, eventId, revision, amount, "EUR", T0.AddMinutes(revision));

    private static CorrectionProposed ProposeAdjustment(decimal amount) =>
        new(AccountEventTypes.BalanceCorrected, null, null, amount, "EUR", T0);

    private static RecordedEvent Stored(EventData data) =>
        new("account-ACC-1", 0, 1, data.EventId, data.EventType, data.Data, data.Metadata, T0);
}
