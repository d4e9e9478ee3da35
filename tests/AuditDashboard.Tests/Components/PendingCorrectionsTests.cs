using AuditDashboard.Components.Pages.Corrections;
using AuditDashboard.Tests.Components.Corrections;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The "Pending corrections" page and its decision dialog over a real ledger, the real correction service (four eyes
/// above 1,000 EUR), the proposals read model the real ledger feed filled, and the app's real PostCorrections policy;
/// only the signed-in user is faked.
/// </summary>
public sealed class PendingCorrectionsTests(ProposalLedger ledger) : MudComponentTest, IClassFixture<ProposalLedger>
{
    private const string RejectReason = "The gateway retried; the customer did not pay twice";
    private const string Note = "[data-testid=decision-note]";
    private const string Confirm = "[data-testid=decision-confirm]";
    private const string Preview = "[data-testid=correction-preview]";

    [Fact(Timeout = 30_000)]
    public async Task PendingProposal_IsListed_WithTimeAccountCorrectionAmountProposerAndReason_AsText()
    {
        var proposed = (await EventsAsync(ProposalLedger.ListAccount, TestContext.Current.CancellationToken))[(int)ProposalLedger.ProposalRevision];
        var page = RenderPage(ProposalLedger.Approver, [Roles.Support]);

        var row = Row(page, ledger.ProposalOf(ProposalLedger.ListAccount));

        Assert.Equal(ledger.ProposalOf(ProposalLedger.ListAccount), proposed.EventId);
        Assert.Equal(Viewer.Format(proposed.Created), Cell(row, "Proposed"));
        Assert.Equal($"{ProposalLedger.ListAccount} rev 3", Cell(row, "Account"));
        Assert.Equal(
            $"accounts/{ProposalLedger.ListAccount}?revision=3",
            row.QuerySelector("td[data-label='Account'] a")?.GetAttribute("href"));
        Assert.Equal("Reverse revision 2", row.QuerySelector("td[data-label='Correction'] div")?.TextContent.Trim());
        Assert.Equal("-50,000.00 EUR", Cell(row, "Amount"));
        Assert.Contains("debit", row.QuerySelector("td[data-label='Amount']")!.ClassList);
        Assert.Equal(ProposalLedger.Proposer, Cell(row, "Proposed by"));
        var reason = row.QuerySelector("[data-testid=proposal-reason]")!;
        Assert.Equal(ProposalLedger.MarkupReason, reason.TextContent);
        Assert.Equal(ProposalLedger.MarkupReason, reason.GetAttribute("title"));
        Assert.Empty(page.FindAll("[data-testid=pending-table] b, [data-testid=pending-table] script"));
        Assert.Equal("Reject", row.QuerySelector($"[data-testid=reject-{ledger.ProposalOf(ProposalLedger.ListAccount)}]")!.TextContent.Trim());
        Assert.False(
            row.QuerySelector($"[data-testid=approve-{ledger.ProposalOf(ProposalLedger.ListAccount)}]")!.HasAttribute("disabled"),
            "Another Support user cannot approve the proposal.");
        Assert.Contains("Proposed (Europe/Paris)", page.Find("[data-testid=pending-table] thead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnProposal_CannotBeApproved_AndItsRejectButtonReadsWithdraw()
    {
        var page = RenderPage(ProposalLedger.Proposer, [Roles.Support]);
        var id = ledger.ProposalOf(ProposalLedger.ListAccount);

        var row = Row(page, id);

        Assert.True(row.QuerySelector($"[data-testid=approve-{id}]")!.HasAttribute("disabled"), "The proposer may approve their own proposal.");
        var withdraw = row.QuerySelector($"[data-testid=reject-{id}]")!;
        Assert.Equal("Withdraw", withdraw.TextContent.Trim());
        Assert.False(withdraw.HasAttribute("disabled"), "The proposer cannot withdraw their own proposal.");
    }

    [Fact(Timeout = 30_000)]
    public async Task ApproveDialog_ForOwnProposal_SaysSo_AndCannotBeConfirmed()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var dialog = RenderDialogProvider(ProposalLedger.Proposer, [Roles.Support]);
        var proposal = ledger.Proposals.Find(ledger.ProposalOf(ProposalLedger.ListAccount))!;

        await OpenDecisionAsync(dialog, proposal, approve: true);

        var warning = dialog.WaitForElement("[data-testid=own-proposal]");
        Assert.Contains("another Support user must approve it", warning.TextContent, StringComparison.Ordinal);
        dialog.WaitForAssertion(() => Assert.True(dialog.Find(Confirm).HasAttribute("disabled"), "The proposer may confirm their own approval."));
        Assert.Equal(4, (await EventsAsync(ProposalLedger.ListAccount, cancellation)).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Approving_PreviewsTheBalance_WritesTheApprovalAndTheCorrection_AndTheProposalLeavesThePendingTable()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.ApproveAccount;
        var id = ledger.ProposalOf(account);
        var (page, dialog) = RenderPageWithDialogs(ProposalLedger.Approver, [Roles.Support]);

        var deciding = Click(page, $"approve-{id}");

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        Assert.Equal(
            [
                ["As recorded", "100,000.00 EUR", "→", "50,000.00 EUR"],
                ["As corrected", "100,000.00 EUR", "→", "50,000.00 EUR"],
            ],
            PreviewRows(dialog));
        Assert.Contains("Approve the proposal at PC-APPROVE rev 3", dialog.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialog.FindAll("[data-testid=decision-error], [data-testid=own-proposal]"));
        Assert.Equal(4, (await EventsAsync(account, cancellation)).Count);
        dialog.WaitForAssertion(() => Assert.False(dialog.Find(Confirm).HasAttribute("disabled"), "Confirm is disabled on a valid approval."));

        await dialog.Find(Confirm).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(Confirm)));
        await deciding.WaitAsync(Ledger.Patience, cancellation);
        var events = await EventsAsync(account, cancellation);
        Assert.Equal(
            [AccountEventTypes.CorrectionProposed, AccountEventTypes.CorrectionApproved, AccountEventTypes.TransactionReversed],
            events.Skip(3).Select(e => e.EventType).ToArray());
        var approval = AccountEventCodec.Decode(events[4]);
        Assert.Equal(new CorrectionApproved(id, ProposalLedger.ProposalRevision), approval.Event);
        Assert.Equal(ProposalLedger.Approver, approval.Metadata!.Actor);
        var correction = AccountEventCodec.Decode(events[5]);
        var reversed = Assert.IsType<TransactionReversed>(correction.Event);
        Assert.Equal(ProposalLedger.DepositOf(account, ProposalLedger.DuplicateRevision), reversed.ReversedEventId);
        Assert.Equal(-ProposalLedger.Deposit, reversed.Amount);
        Assert.Equal(CorrectionService.CorrectionIdFor(id), events[5].EventId);
        Assert.Equal(ProposalLedger.Proposer, correction.Metadata!.Actor);
        Assert.Equal(ProposalLedger.Approver, correction.Metadata.ApprovedBy);
        Assert.Equal(ProposalLedger.ProposalReason, correction.Metadata.Reason);
        Assert.Equal(50_000m, (await FreshSnapshotAsync(account, cancellation)).Current.Balance);
        Assert.Contains(
            Services.GetRequiredService<ISnackbar>().ShownSnackbars,
            s => s.Message == $"Approved: {account} corrected at revision 5.");

        // The read model learns of the decision from the feed; hand it the events the store holds.
        foreach (var record in events.Skip(4))
            ledger.Proposals.Apply(account, record);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=approve-{id}]")));
        Assert.Equal(ProposalStatus.Approved, ledger.Proposals.Find(id)!.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Rejecting_WithoutAReason_IsRefusedUnderTheField_AndWritesNothing_ThenWithAReason_WritesTheRejection()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.RejectAccount;
        var id = ledger.ProposalOf(account);
        var (page, dialog) = RenderPageWithDialogs(ProposalLedger.Approver, [Roles.Support]);
        var row = Row(page, id);
        Assert.Equal("Adjust the balance", row.QuerySelector("td[data-label='Correction'] div")?.TextContent.Trim());
        Assert.Equal("-20,000.00 EUR", Cell(row, "Amount"));

        Assert.Equal("Reject", row.QuerySelector($"[data-testid=reject-{id}]")!.TextContent.Trim());
        var deciding = Click(page, $"reject-{id}");
        dialog.WaitForElement(Note);
        Assert.Empty(dialog.FindAll(Preview));
        Assert.Null(MessageUnder(dialog, Note));

        await dialog.Find(Confirm).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal("Give the reason for rejecting the proposal.", MessageUnder(dialog, Note)));
        Assert.Equal(4, (await EventsAsync(account, cancellation)).Count);

        dialog.Find(Note).Input("Too-short");
        await dialog.Find(Confirm).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal("The reason must be at least 10 characters; it has 9.", MessageUnder(dialog, Note)));
        Assert.Equal(4, (await EventsAsync(account, cancellation)).Count);

        dialog.Find(Note).Input("  " + RejectReason + " ");
        await dialog.Find(Confirm).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(Note)));
        await deciding.WaitAsync(Ledger.Patience, cancellation);
        var events = await EventsAsync(account, cancellation);
        Assert.Equal(5, events.Count);
        var rejection = AccountEventCodec.Decode(events[4]);
        Assert.Equal(new CorrectionRejected(id, ProposalLedger.ProposalRevision), rejection.Event);
        Assert.Equal(ProposalLedger.Approver, rejection.Metadata!.Actor);
        Assert.Equal(RejectReason, rejection.Metadata.Reason);
        Assert.Equal(100_000m, (await FreshSnapshotAsync(account, cancellation)).Current.Balance);
        Assert.Contains(
            Services.GetRequiredService<ISnackbar>().ShownSnackbars,
            s => s.Message == $"Rejected at {account} revision 4; nothing was corrected.");

        ledger.Proposals.Apply(account, events[4]);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=reject-{id}]")));
        var decided = ledger.Proposals.Find(id)!;
        Assert.Equal((ProposalStatus.Rejected, ProposalLedger.Approver, RejectReason, (long?)4), (decided.Status, decided.DecidedBy, decided.DecisionReason, decided.DecisionRevision));

        await page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Decided").ClickAsync(new());

        var decidedRow = page.WaitForElement($"[data-testid=decided-table] a[href='accounts/{account}?revision=3']").Closest("tr")!;
        Assert.Equal($"Rejected by {ProposalLedger.Approver}", Cell(decidedRow, "Decision"));
        Assert.Equal(RejectReason, Cell(decidedRow, "Reason given"));
        Assert.Equal("-20,000.00 EUR", Cell(decidedRow, "Amount"));
        Assert.Equal(Viewer.Format(events[4].Created), Cell(decidedRow, "Decided"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Proposer_WithdrawingTheirOwnProposal_WritesARejectionByThem()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.WithdrawAccount;
        var id = ledger.ProposalOf(account);
        var (page, dialog) = RenderPageWithDialogs(ProposalLedger.Proposer, [Roles.Support]);

        var deciding = Click(page, $"reject-{id}");
        dialog.WaitForElement(Note).Input("Wrong account, the duplicate was on another one");
        await dialog.Find(Confirm).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(Note)));
        await deciding.WaitAsync(Ledger.Patience, cancellation);
        var events = await EventsAsync(account, cancellation);
        Assert.Equal(5, events.Count);
        var withdrawal = AccountEventCodec.Decode(events[4]);
        Assert.Equal(new CorrectionRejected(id, ProposalLedger.ProposalRevision), withdrawal.Event);
        Assert.Equal(ProposalLedger.Proposer, withdrawal.Metadata!.Actor);
    }

    [Fact(Timeout = 30_000)]
    public async Task Approving_AProposalWhoseRulesNoLongerHold_ShowsWhy_AndCannotBeConfirmed()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = ProposalLedger.ClosedAccount;
        var id = ledger.ProposalOf(account);
        var (page, dialog) = RenderPageWithDialogs(ProposalLedger.Approver, [Roles.Support]);

        var deciding = Click(page, $"approve-{id}");

        dialog.WaitForAssertion(() => Assert.Equal(
            ["The correction can no longer be written as proposed:", "The account is closed: a closed account accepts no corrections."],
            dialog.FindAll("[data-testid=decision-error]").Select(e => e.TextContent.Trim()).ToArray()));
        Assert.Empty(dialog.FindAll(Preview));
        Assert.True(dialog.Find(Confirm).HasAttribute("disabled"), "Confirm is enabled although the correction breaks the rules.");

        await dialog.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await deciding.WaitAsync(Ledger.Patience, cancellation);
        var events = await EventsAsync(account, cancellation);
        Assert.Equal(5, events.Count);
        Assert.Equal(AccountEventTypes.AccountClosed, events[^1].EventType);
        Assert.Single(page.FindAll($"[data-testid=approve-{id}]"));
    }

    [Fact(Timeout = 30_000)]
    public async Task EmptyReadModel_ShowsNoPending_ThenAProposalSeenByTheReadModel_AppearsLive()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var proposals = new CorrectionProposals();
        var page = RenderPage(ProposalLedger.Approver, [Roles.Support], proposals);

        Assert.Equal("No correction is waiting for approval.", page.Find("[data-testid=no-pending]").TextContent.Trim());
        Assert.Equal("Nothing waiting", page.Find("[data-testid=pending-count]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=pending-table] tbody [data-testid^=approve-]"));

        var proposal = (await EventsAsync(ProposalLedger.ListAccount, cancellation))[(int)ProposalLedger.ProposalRevision];
        proposals.Apply(ProposalLedger.ListAccount, proposal);

        page.WaitForAssertion(() => Assert.Equal("1 waiting for approval", page.Find("[data-testid=pending-count]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=no-pending]"));
        Assert.Single(page.FindAll($"[data-testid=approve-{ledger.ProposalOf(ProposalLedger.ListAccount)}]"));
        Assert.Contains("Pending (1)", page.Find(".mud-tabs-tabbar").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Signs <paramref name="user"/> in with the app's real policy and renders the dialog provider.</summary>
    private IRenderedComponent<MudDialogProvider> RenderDialogProvider(string user, string[] roles, CorrectionProposals? proposals = null)
    {
        UseLedger(ledger);
        if (proposals is not null)
            Services.AddSingleton(proposals);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(ProposalLedger.Thresholds);
        Services.AddSingleton<CorrectionService>();
        AddAuthorization().SetAuthorized(user).SetRoles(roles);

        // bUnit's stand-in grants policies by name; the dialog must meet the app's own policy, so use the real one.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(o => o.AddPolicy(Policies.PostCorrections, p => p.RequireRole(Roles.Support)));

        RenderPopoverProvider();
        return Render<MudDialogProvider>();
    }

    private IRenderedComponent<PendingCorrections> RenderPage(string user, string[] roles, CorrectionProposals? proposals = null) =>
        RenderPageWithDialogs(user, roles, proposals).Page;

    /// <summary>Renders the page as the app's layout holds it: after the popover and dialog providers.</summary>
    private (IRenderedComponent<PendingCorrections> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPageWithDialogs(
        string user, string[] roles, CorrectionProposals? proposals = null)
    {
        var dialogs = RenderDialogProvider(user, roles, proposals);
        var page = Render<PendingCorrections>();
        page.WaitForElement("[data-testid=pending-table]");
        return (page, dialogs);
    }

    private async Task OpenDecisionAsync(IRenderedComponent<MudDialogProvider> provider, ProposalView proposal, bool approve)
    {
        var parameters = new DialogParameters<ProposalDecisionDialog>
        {
            { d => d.Proposal, proposal },
            { d => d.Approve, approve },
        };
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ProposalDecisionDialog>(null, parameters));
        provider.WaitForElement(Confirm);
    }

    /// <summary>
    /// Clicks a row's button without waiting for its handler, which awaits the dialog it opens: the returned task ends
    /// when the dialog was closed and the page has handled its result.
    /// </summary>
    private static Task Click(IRenderedComponent<PendingCorrections> page, string testId) =>
        page.WaitForElement($"[data-testid=pending-table] [data-testid={testId}]").ClickAsync(new());

    /// <summary>The pending table's row holding the buttons of <paramref name="proposalId"/>.</summary>
    private static IElement Row(IRenderedComponent<PendingCorrections> page, Guid proposalId) =>
        page.WaitForElement($"[data-testid=pending-table] [data-testid=approve-{proposalId}]").Closest("tr")
            ?? throw new InvalidOperationException($"The approve button of {proposalId} is not in a table row.");

    /// <summary>A cell's text, with its runs of white space made single spaces.</summary>
    private static string? Cell(IElement row, string label) =>
        row.QuerySelector($"td[data-label='{label}']")?.TextContent is { } text
            ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            : null;

    private static string[][] PreviewRows(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.FindAll($"{Preview} tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()).ToArray();

    /// <summary>The error shown under a field, or null when it shows none.</summary>
    private static string? MessageUnder(IRenderedComponent<MudDialogProvider> dialog, string field)
    {
        var control = dialog.Find(field).Closest(".mud-input-control")
            ?? throw new InvalidOperationException($"{field} is not inside a MudBlazor input control.");
        var message = control.QuerySelector(".mud-input-helper-text.mud-input-error .me-auto")?.TextContent.Trim();
        if (string.IsNullOrEmpty(message))
            return null;
        Assert.Equal("true", dialog.Find(field).GetAttribute("aria-invalid"));
        return message;
    }

    private async Task<List<RecordedEvent>> EventsAsync(string accountId, CancellationToken cancellation)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in ledger.Store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, 0, 1_000, cancellation))
            events.Add(e);
        return events;
    }

    /// <summary>The account folded afresh from the store, not from the cache the service wrote through.</summary>
    private async Task<TimelineSnapshot> FreshSnapshotAsync(string accountId, CancellationToken cancellation) =>
        (await new AccountTimelines(ledger.Store).GetAsync(accountId, cancellation))!.Snapshot;
}
