using AuditDashboard.Components.Pages.Accounts;
using AuditDashboard.Components.Pages.Accounts.Corrections;
using AuditDashboard.Tests.Components.Corrections;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// Four eyes where corrections start and where they end up: the correction dialog above and below the approval
/// threshold (1,000 EUR), and the timeline of an account whose proposals were approved and rejected, all over a real
/// ledger and the real correction service.
/// </summary>
public sealed class ProposalDialogAndTimelineTests(ProposalLedger ledger) : MudComponentTest, IClassFixture<ProposalLedger>
{
    private const string GoodReason = "Deposit recorded twice by the payments gateway";
    private const string Reason = "[data-testid=correction-reason]";
    private const string Amount = "[data-testid=correction-amount]";
    private const string Preview = "[data-testid=correction-preview]";
    private const string Post = "[data-testid=correction-post]";
    private const string ApprovalNeeded = "[data-testid=approval-needed]";

    [Fact(Timeout = 30_000)]
    public async Task ThresholdsRegistered_AreTheCorrectionServicesOwn()
    {
        await OpenAsync(ProposalLedger.DialogAccount, CorrectionKind.Reversal, ProposalLedger.DuplicateRevision, TestContext.Current.CancellationToken);

        var corrections = Services.GetRequiredService<CorrectionService>();

        Assert.Same(ProposalLedger.Thresholds, corrections.Thresholds);
        Assert.Equal(ProposalLedger.Threshold, corrections.Thresholds.For("EUR"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReversalAboveTheThreshold_SaysItNeedsApproval_AndOffersToProposeIt()
    {
        var (dialog, _) = await OpenAsync(ProposalLedger.DialogAccount, CorrectionKind.Reversal, ProposalLedger.DuplicateRevision, TestContext.Current.CancellationToken);
        Assert.Equal("Post reversal", dialog.Find(Post).TextContent.Trim());

        dialog.Find(Reason).Input(GoodReason);

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        var notice = dialog.Find(ApprovalNeeded).TextContent;
        Assert.Contains("Above the approval threshold of 1,000.00 EUR", notice, StringComparison.Ordinal);
        Assert.Contains("another Support user approves it", notice, StringComparison.Ordinal);
        Assert.Equal("Propose reversal", dialog.Find(Post).TextContent.Trim());
        Assert.False(dialog.Find(Post).HasAttribute("disabled"), "A valid proposal cannot be posted.");
        Assert.Equal(
            ["As recorded", "100,000.00 EUR", "→", "50,000.00 EUR"],
            dialog.Find($"{Preview} tbody tr").Children.Select(c => c.TextContent.Trim()).ToArray());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("1000.01", true)]
    [InlineData("-1000.01", true)]
    [InlineData("-25000", true)]
    [InlineData("1000", false)]
    [InlineData("-1000.00", false)]
    [InlineData("-12.50", false)]
    public async Task Adjustment_IsProposedOnlyAboveTheThreshold_EitherWay(string amount, bool proposed)
    {
        var (dialog, _) = await OpenAsync(ProposalLedger.DialogAccount, CorrectionKind.Adjustment, target: null, TestContext.Current.CancellationToken);

        dialog.Find(Reason).Input(GoodReason);
        dialog.Find(Amount).Input(amount);

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        Assert.Equal(proposed ? "Propose adjustment" : "Post adjustment", dialog.Find(Post).TextContent.Trim());
        Assert.Equal(proposed ? 1 : 0, dialog.FindAll(ApprovalNeeded).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAdjustmentThatTakesTheUsersSumOnTheAccountOverTheThreshold_SaysSo_AndOffersToProposeIt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var account = "PD-SUM-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var earlier = DateTimeOffset.UtcNow;
        await Ledger.AppendAsync(ledger.Store, account,
        [
            Ledger.Encode(new AccountOpened(account, "Dana Novak", "EUR"), Ledger.By("teller:ana", "Customer onboarding")),
            Ledger.Encode(new FundsDeposited(5_000m, "EUR", "TRX-1"), Ledger.By("system:gateway", "Salary")),
            Ledger.Encode(new BalanceCorrected(-600m, "EUR", null, earlier), Ledger.By(ProposalLedger.Proposer, GoodReason)),
            Ledger.Encode(new BalanceCorrected(900m, "EUR", null, earlier), Ledger.By(ProposalLedger.Approver, GoodReason)),
        ],
        cancellation);
        var (dialog, _) = await OpenAsync(account, CorrectionKind.Adjustment, target: null, cancellation);
        dialog.Find(Reason).Input(GoodReason);

        dialog.Find(Amount).Input("400");

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        Assert.Equal("Post adjustment", dialog.Find(Post).TextContent.Trim());
        Assert.Empty(dialog.FindAll(ApprovalNeeded));

        dialog.Find(Amount).Input("-400.01");

        dialog.WaitForAssertion(() => Assert.Equal("Propose adjustment", dialog.Find(Post).TextContent.Trim()));
        Assert.StartsWith(
            "You have corrected 600.00 EUR on this account in the last 24 h; with this one 1,000.01 EUR exceeds the 1,000.00 EUR limit: this is recorded as a proposal",
            dialog.Find(ApprovalNeeded).TextContent.Trim(),
            StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task NoThresholdForTheCurrency_ReversalIsPostedDirectly()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (dialog, _) = await OpenAsync(ProposalLedger.DialogAccount, CorrectionKind.Reversal, ProposalLedger.DuplicateRevision, cancellation,
            new ApprovalThresholds(new Dictionary<string, decimal> { ["USD"] = 1m }, null));

        dialog.Find(Reason).Input(GoodReason);

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        Assert.Equal("Post reversal", dialog.Find(Post).TextContent.Trim());
        Assert.Empty(dialog.FindAll(ApprovalNeeded));
    }

    [Fact(Timeout = 30_000)]
    public async Task PostingAboveTheThreshold_WritesAProposalNotTheCorrection_AndLeavesTheBalance()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.PostAccount;
        var (dialog, reference) = await OpenAsync(account, CorrectionKind.Reversal, ProposalLedger.DuplicateRevision, cancellation);
        dialog.Find(Reason).Input(GoodReason);
        dialog.WaitForAssertion(() => Assert.Equal("Propose reversal", dialog.Find(Post).TextContent.Trim()));

        await dialog.Find(Post).ClickAsync(new());

        var result = await reference.Result.WaitAsync(Ledger.Patience, cancellation);
        Assert.NotNull(result);
        Assert.False(result.Canceled);
        var outcome = Assert.IsType<CorrectionOutcome.Proposed>(result.Data);
        Assert.Equal(ProposalLedger.ProposalRevision, outcome.Revision);
        Assert.Equal(-ProposalLedger.Deposit, outcome.Proposal.Amount);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(Reason)));

        var events = await EventsAsync(account, cancellation);
        Assert.Equal(4, events.Count);
        Assert.DoesNotContain(events, e => e.EventType is AccountEventTypes.TransactionReversed or AccountEventTypes.BalanceCorrected);
        var decoded = AccountEventCodec.Decode(events[3]);
        Assert.Equal(
            new CorrectionProposed(AccountEventTypes.TransactionReversed, ProposalLedger.DepositOf(account, ProposalLedger.DuplicateRevision),
                ProposalLedger.DuplicateRevision, -ProposalLedger.Deposit, "EUR", events[2].Created),
            decoded.Event);
        Assert.Equal(ProposalLedger.Proposer, decoded.Metadata!.Actor);
        Assert.Equal(GoodReason, decoded.Metadata.Reason);
        var fresh = await new AccountTimelines(ledger.Store).GetAsync(account, cancellation);
        Assert.Equal(100_000m, fresh!.Snapshot.Current.Balance);
        Assert.Equal(ProposalLedger.ProposalRevision, fresh.Snapshot.Current.Revision);
    }

    [Fact(Timeout = 30_000)]
    public async Task Timeline_ShowsEachProposalWithItsDecision_AndHidesTheReverseButtonWhileAReversalAwaitsApproval()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.TimelineAccount;
        var corrections = new CorrectionService(ledger.Store, ledger.Timelines, TimeProvider.System, ProposalLedger.Thresholds);
        var duplicate = ProposalLedger.DepositOf(account, ProposalLedger.DuplicateRevision);
        var first = ProposalLedger.DepositOf(account, ProposalLedger.FirstDepositRevision);
        var picked = new List<long>();
        RenderPopoverProvider();

        // rev 3: a reversal of the duplicate (rev 2), awaiting approval.
        var proposal = await ProposeAsync(corrections, account, duplicate, expectedRevision: 2, cancellation);
        var pending = await SnapshotAsync(account, cancellation);
        var cut = Render<Timeline>(p => p
            .Add(t => t.Snapshot, pending)
            .Add(t => t.CanCorrect, true)
            .Add(t => t.SelectedRevisionChanged, (long revision) => picked.Add(revision)));
        cut.WaitForAssertion(() => Assert.Equal(["3", "2", "1", "0"], Revisions(cut)));

        Assert.Equal("Proposal", Text(Row(cut, 3), "[data-testid=proposal-badge]"));
        Assert.Equal("Awaiting approval", Text(Row(cut, 3), "[data-testid=proposal-pending]"));
        Assert.Equal("of rev 2", Text(Row(cut, 3), "[data-testid=proposal-about-link]"));
        Assert.Equal("(-50,000.00 EUR)", Text(Row(cut, 3), "td.proposed-amount"));
        Assert.Equal("100,000.00 EUR", Text(Row(cut, 3), "td[data-label='Balance after']"));
        Assert.Empty(Row(cut, 3).QuerySelectorAll("[data-testid=correction-badge]"));
        Assert.Equal("Reversal proposed in rev 3", Text(Row(cut, 2), "[data-testid=reversal-proposed]"));
        Assert.Empty(cut.FindAll("[data-testid=reverse-2]"));
        Assert.Single(cut.FindAll("[data-testid=reverse-1]"));

        // rev 4: the approval, rev 5: the reversal it writes.
        var approved = await corrections.ApproveAsync(
            new ProposalCommand(account, proposal, Guid.NewGuid(), ProposalLedger.Approver, null, "audit-dashboard-tests"), cancellation);
        Assert.IsType<ProposalOutcome.Approved>(approved);
        await ShowAsync(cut, account, cancellation);
        cut.WaitForAssertion(() => Assert.Equal(["5", "4", "3", "2", "1", "0"], Revisions(cut)));

        Assert.Equal("Approved in rev 4", Text(Row(cut, 3), "[data-testid=proposal-decision]"));
        Assert.Empty(cut.FindAll("[data-testid=proposal-pending]"));
        Assert.Equal("Approval", Text(Row(cut, 4), "[data-testid=approval-badge]"));
        Assert.Equal("of proposal rev 3", Text(Row(cut, 4), "[data-testid=decides-link]"));
        Assert.Equal("Correction", Text(Row(cut, 5), "[data-testid=correction-badge]"));
        Assert.Equal("of rev 2", Text(Row(cut, 5), "[data-testid=corrects-link]"));
        Assert.Equal("50,000.00 EUR", Text(Row(cut, 5), "td[data-label='Balance after']"));
        Assert.Equal("Reversed by rev 5", Text(Row(cut, 2), "[data-testid=corrected-mark]"));
        Assert.Empty(cut.FindAll("[data-testid=reversal-proposed]"));
        Assert.Empty(cut.FindAll("[data-testid=reverse-2]"));
        Assert.Single(cut.FindAll("[data-testid=reverse-1]"));

        // rev 6: a reversal of the first deposit (rev 1), awaiting approval; rev 7: its rejection.
        var another = await ProposeAsync(corrections, account, first, expectedRevision: 5, cancellation);
        await ShowAsync(cut, account, cancellation);
        cut.WaitForAssertion(() => Assert.Equal("Reversal proposed in rev 6", Text(Row(cut, 1), "[data-testid=reversal-proposed]")));
        Assert.Empty(cut.FindAll("[data-testid=reverse-1]"));
        Assert.Equal("Awaiting approval", Text(Row(cut, 6), "[data-testid=proposal-pending]"));

        var rejected = await corrections.RejectAsync(
            new ProposalCommand(account, another, Guid.NewGuid(), ProposalLedger.Approver, "The first deposit was genuine", "audit-dashboard-tests"), cancellation);
        Assert.IsType<ProposalOutcome.Rejected>(rejected);
        await ShowAsync(cut, account, cancellation);
        cut.WaitForAssertion(() => Assert.Equal(["7", "6", "5", "4", "3", "2", "1", "0"], Revisions(cut)));

        Assert.Equal("Rejected in rev 7", Text(Row(cut, 6), "[data-testid=proposal-decision]"));
        Assert.Equal("Approved in rev 4", Text(Row(cut, 3), "[data-testid=proposal-decision]"));
        Assert.Equal("Rejection", Text(Row(cut, 7), "[data-testid=rejection-badge]"));
        Assert.Equal("of proposal rev 6", Text(Row(cut, 7), "[data-testid=decides-link]"));
        Assert.Equal("50,000.00 EUR", Text(Row(cut, 7), "td[data-label='Balance after']"));
        Assert.Empty(cut.FindAll("[data-testid=proposal-pending], [data-testid=reversal-proposed]"));
        Assert.Single(cut.FindAll("[data-testid=reverse-1]"));
        Assert.Empty(cut.FindAll("[data-testid=reverse-2]"));
        Assert.Empty(cut.FindAll("[data-testid=reverse-5]"));

        // The links select what they point at, and only that (not their own row).
        await Row(cut, 7).QuerySelector("[data-testid=decides-link]")!.ClickAsync(new());
        await Row(cut, 3).QuerySelector("[data-testid=proposal-decision]")!.ClickAsync(new());
        Assert.Equal([6L, 4L], picked);
    }

    private static async Task<Guid> ProposeAsync(CorrectionService corrections, string account, Guid deposit, long expectedRevision, CancellationToken cancellation)
    {
        var id = Guid.NewGuid();
        var outcome = await corrections.PostAsync(
            new CorrectionCommand(account, new CorrectionRequest(CorrectionKind.Reversal, deposit, null, GoodReason, null), expectedRevision, id,
                ProposalLedger.Proposer, id.ToString("N"), "audit-dashboard-tests"),
            cancellation);
        Assert.Equal(expectedRevision + 1, Assert.IsType<CorrectionOutcome.Proposed>(outcome).Revision);
        return id;
    }

    /// <summary>
    /// Signs the proposer in (Support, with the app's real policy), registers the correction service with
    /// <paramref name="thresholds"/> (by default the fixture's) through DI, and opens the dialog as the account page does.
    /// </summary>
    private async Task<(IRenderedComponent<MudDialogProvider> Dialog, IDialogReference Reference)> OpenAsync(
        string accountId, CorrectionKind kind, long? target, CancellationToken cancellation, ApprovalThresholds? thresholds = null)
    {
        UseLedger(ledger);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(thresholds ?? ProposalLedger.Thresholds);
        Services.AddSingleton<CorrectionService>();
        AddAuthorization().SetAuthorized(ProposalLedger.Proposer).SetRoles(Roles.Support);
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(o => o.AddPolicy(Policies.PostCorrections, p => p.RequireRole(Roles.Support)));

        var provider = Render<MudDialogProvider>();
        var snapshot = await LoadSnapshotAsync(ledger, accountId, cancellation);
        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.AccountId, accountId },
            { d => d.Snapshot, snapshot },
            { d => d.Kind, kind },
            { d => d.Target, target is { } revision ? snapshot.Single(e => e.Revision == revision) : null },
        };
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<CorrectionDialog>(null, parameters));
        provider.WaitForElement(Reason);
        return (provider, reference!);
    }

    /// <summary>Hands the timeline the account as it is now, as the account page does when the feed extends it.</summary>
    private async Task ShowAsync(IRenderedComponent<Timeline> cut, string accountId, CancellationToken cancellation)
    {
        var snapshot = await SnapshotAsync(accountId, cancellation);
        cut.Render(p => p.Add(t => t.Snapshot, snapshot));
    }

    private async Task<TimelineSnapshot> SnapshotAsync(string accountId, CancellationToken cancellation) =>
        await LoadSnapshotAsync(ledger, accountId, cancellation);

    private static List<string> Revisions(IRenderedComponent<Timeline> cut) =>
        cut.FindAll("[data-revision]").Select(e => e.TextContent.Trim()).ToList();

    private static IElement Row(IRenderedComponent<Timeline> cut, long revision) =>
        cut.Find($"[data-revision='{revision}']").Closest("tr")
            ?? throw new InvalidOperationException($"Revision {revision} is not in a table row.");

    private static string? Text(IElement row, string selector) => row.QuerySelector(selector)?.TextContent.Trim();

    private async Task<List<RecordedEvent>> EventsAsync(string accountId, CancellationToken cancellation)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in ledger.Store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, 0, 1_000, cancellation))
            events.Add(e);
        return events;
    }
}
