using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Corrections;

public sealed class CorrectionRulesTests
{
    private const string Reason = "Deposit recorded twice by the gateway";
    private static readonly DateTimeOffset Now = T0.AddDays(30);

    // Revisions: 0 opened, 1 deposit 100, 2 the same deposit again, 3 withdrawal 30, 4 frozen.
    private static readonly List<TimelineEntry> Ledger = Fold(
        Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")),
        Recorded(1, new FundsDeposited(100m, "EUR", "TRX-1")),
        Recorded(2, new FundsDeposited(100m, "EUR", "TRX-1")),
        Recorded(3, new FundsWithdrawn(30m, "EUR", null)),
        Recorded(4, new AccountFrozen()));

    private static Guid IdAt(int revision) => Ledger[revision].Record.EventId;

    private static CorrectionDecision Decide(CorrectionRequest request, IReadOnlyList<TimelineEntry>? timeline = null) =>
        CorrectionRules.Decide(request, timeline ?? Ledger, Now);

    private static List<TimelineEntry> With(AccountEvent correction) =>
        [.. Ledger, .. Fold([.. Ledger.Select(e => e.Record), Recorded(Ledger.Count, correction)]).Skip(Ledger.Count)];

    [Fact]
    public void Reversal_OfADeposit_TakesTheWholeAmountBack_EffectiveWhenTheDepositWasRecorded()
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(2), null, Reason, null));

        Assert.True(decision.IsValid);
        var reversal = Assert.IsType<TransactionReversed>(decision.Correction);
        Assert.Equal(-100m, reversal.Amount);
        Assert.Equal("EUR", reversal.Currency);
        Assert.Equal(IdAt(2), reversal.ReversedEventId);
        Assert.Equal(2, reversal.ReversedRevision);
        Assert.Equal(Ledger[2].Recorded, reversal.EffectiveAt);
        Assert.Equal(IdAt(2), decision.CausationId);
    }

    [Fact]
    public void Reversal_OfAWithdrawal_GivesTheMoneyBack()
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(3), 30m, Reason, null));

        Assert.Equal(30m, Assert.IsType<TransactionReversed>(decision.Correction).Amount);
    }

    [Fact]
    public void Reversal_OfAnEventAlreadyReversed_IsRefused()
    {
        var first = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(2), null, Reason, null)).Correction!;

        var second = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(2), null, Reason, null), With(first));

        Assert.False(second.IsValid);
        Assert.Contains("already reversed", Assert.Single(second.Errors["eventId"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Reversal_OfAnEventThatMovedNoMoney_IsRefused(int revision)
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(revision), null, Reason, null));

        Assert.False(decision.IsValid);
        Assert.Contains("Only deposits and withdrawals", Assert.Single(decision.Errors["eventId"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Reversal_OfAnEventOfAnotherAccountOrUnknown_IsRefused()
    {
        var elsewhere = Recorded(1, new FundsDeposited(5m, "EUR", null), account: "ACC-2").EventId;

        var decision = Decide(new CorrectionRequest(CorrectionKind.Reversal, elsewhere, null, Reason, null));

        Assert.False(decision.IsValid);
        Assert.Contains("no event", Assert.Single(decision.Errors["eventId"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Reversal_WithoutAnEvent_OrForPartOfTheAmount_IsRefused()
    {
        Assert.Contains("Choose the event", Decide(new CorrectionRequest(CorrectionKind.Reversal, null, null, Reason, null)).Errors["eventId"][0], StringComparison.Ordinal);
        Assert.Contains("whole amount", Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(1), 40m, Reason, null)).Errors["amount"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-12.34", "-12.34")]
    [InlineData("0.01", "0.01")]
    public void Adjustment_WithASignedAmount_BecomesABalanceCorrection(string amount, string expected)
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Adjustment, IdAt(1), decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Reason, null));

        var correction = Assert.IsType<BalanceCorrected>(decision.Correction);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), correction.Amount);
        Assert.Equal(IdAt(1), correction.ReferencedEventId);
        Assert.Equal(Ledger[1].Recorded, correction.EffectiveAt);
    }

    [Fact]
    public void Adjustment_WithoutAReference_TakesEffectNow()
    {
        var correction = Assert.IsType<BalanceCorrected>(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, Reason, null)).Correction);

        Assert.Null(correction.ReferencedEventId);
        Assert.Equal(Now, correction.EffectiveAt);
    }

    [Theory]
    [InlineData("0", "cannot be zero")]
    [InlineData("1.005", "decimal places")]
    [InlineData("1000000000.01", "cannot exceed")]
    [InlineData("-79228162514264337593543950335", "cannot exceed")]
    public void Adjustment_WithABadAmount_IsRefused(string amount, string message)
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Reason, null));

        Assert.False(decision.IsValid);
        Assert.Contains(message, Assert.Single(decision.Errors["amount"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Adjustment_InACurrencyWithoutMinorUnits_RefusesCents()
    {
        var yen = Fold(Recorded(0, new AccountOpened("ACC-1", "Ken Sato", "JPY")), Recorded(1, new FundsDeposited(500m, "JPY", null)));

        Assert.False(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 1.5m, Reason, null), yen).IsValid);
        Assert.True(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, -2m, Reason, null), yen).IsValid);
    }

    [Theory]
    [InlineData(null, "Give the reason")]
    [InlineData("   ", "Give the reason")]
    [InlineData("too short", "at least 10")]
    public void AReasonMissingOrTooShort_IsRefused(string? reason, string message)
    {
        var decision = Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, reason, null));

        Assert.Contains(message, Assert.Single(decision.Errors["reason"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonOf10000Characters_IsRefused_And1000AreEnough()
    {
        Assert.Contains("at most 1,000", Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, new string('x', 10_000), null)).Errors["reason"][0], StringComparison.Ordinal);
        Assert.True(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, new string('x', 1_000), null)).IsValid);
    }

    [Fact]
    public void AReasonWithMarkup_IsKeptAsText()
    {
        const string markup = "<script>alert('x')</script> fixed by <b>support</b>";

        var decision = Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, markup, null));

        Assert.True(decision.IsValid);
    }

    [Fact]
    public void AClosedAccount_AcceptsNoCorrection_AFrozenOneDoes()
    {
        var closed = Fold([.. Ledger.Select(e => e.Record), Recorded(5, new AccountUnfrozen()), Recorded(6, new AccountClosed())]);

        Assert.Equal(AccountStatus.Frozen, Ledger[^1].StateAfter.Status);
        Assert.True(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, Reason, null)).IsValid);
        Assert.Contains("closed", Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, Reason, null), closed).Errors["account"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void AnEffectiveTimeInTheFutureOrBeforeTheOpening_IsRefused()
    {
        Assert.True(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, Reason, Now.AddMinutes(1))).Errors.ContainsKey("effectiveAt"));
        Assert.True(Decide(new CorrectionRequest(CorrectionKind.Adjustment, null, 5m, Reason, T0.AddDays(-1))).Errors.ContainsKey("effectiveAt"));
    }

    [Fact]
    public void AReversal_MovesTheBalance_AndInTheCorrectedView_AppliesWhenTheDuplicateWasRecorded()
    {
        var reversal = Decide(new CorrectionRequest(CorrectionKind.Reversal, IdAt(2), null, Reason, null)).Correction!;
        var corrected = With(reversal);

        var recordedView = AccountReplay.Of("ACC-1", corrected, ReplayView.Recorded);
        var correctedView = AccountReplay.Of("ACC-1", corrected, ReplayView.Corrected);

        Assert.Equal(70m, recordedView.Latest.State.Balance);
        Assert.Equal(70m, correctedView.Latest.State.Balance);
        Assert.Equal(170m, recordedView.AtTime(Ledger[3].Recorded).State.Balance);
        Assert.Equal(70m, correctedView.AtTime(Ledger[3].Recorded).State.Balance);
        Assert.True(corrected[^1].IsCorrection);
    }
}
