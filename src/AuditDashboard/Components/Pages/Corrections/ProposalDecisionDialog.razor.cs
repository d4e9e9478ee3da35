using AuditDashboard.Accounts;
using AuditDashboard.Components.Pages.Accounts.Corrections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Corrections;

/// <summary>
/// Approves or rejects one proposal. An approval is previewed on the account as it is now, with the rules checked
/// again; the server writes it only if they still hold, and never for the proposer.
/// </summary>
public sealed partial class ProposalDecisionDialog(
    CorrectionService corrections,
    CorrectionSnapshots accounts,
    TimeProvider time,
    IAuthorizationService authorization)
{
    private readonly Guid _commandId = Guid.NewGuid();
    private bool _loading = true;
    private bool _sending;
    private bool _own;
    private string? _note;
    private string? _noteError;
    private List<string> _problems = [];
    private CorrectionPreview? _preview;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired]
    public ProposalView Proposal { get; set; } = default!;

    /// <summary>True to approve, false to reject.</summary>
    [Parameter]
    public bool Approve { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = Authentication is null ? null : (await Authentication).User;
        _own = Proposal.IsProposedBy(user?.Identity?.Name);
        if (Approve)
            await PreviewAsync();
        _loading = false;
    }

    /// <summary>The correction as it would be written now: the same check the server makes when approving.</summary>
    private async Task PreviewAsync()
    {
        var proposed = Proposal.Proposal;
        var account = await accounts.OpenAsync(
            Proposal.AccountId, proposed.EventRevision is { } about ? [about] : [], proposed.EventRevision is null ? proposed.EventId : null);
        if (account is null)
        {
            _problems = [$"Account {Proposal.AccountId} no longer exists."];
            return;
        }

        var snapshot = account.Snapshot;
        var now = time.GetUtcNow();
        var decision = CorrectionRules.DecideApproval(Proposal.ProposalId, Proposal.Proposal, Proposal.Reason, snapshot, now);
        if (decision.IsValid)
            _preview = CorrectionPreview.Of(Proposal.AccountId, snapshot, decision, now, account.CorrectedBalance);
        else
            _problems = ["The correction can no longer be written as proposed:", .. decision.Errors.SelectMany(p => p.Value)];
    }

    private async Task DecideAsync()
    {
        if (_sending)
            return;

        // Set before any await, so a double click cannot pass the guard twice.
        _sending = true;
        try
        {
            _noteError = null;
            var user = Authentication is null ? null : (await Authentication).User;
            if (user is null || !(await authorization.AuthorizeAsync(user, Policies.PostCorrections)).Succeeded)
            {
                _problems = ["Only Support staff may approve or reject corrections."];
                return;
            }

            var command = new ProposalCommand(Proposal.AccountId, Proposal.ProposalId, _commandId, user.Identity?.Name ?? "unknown", _note, "audit-dashboard");
            var outcome = Approve ? await corrections.ApproveAsync(command) : await corrections.RejectAsync(command);
            switch (outcome)
            {
                case ProposalOutcome.Approved or ProposalOutcome.Rejected:
                    Dialog.Close(DialogResult.Ok(outcome));
                    break;
                case ProposalOutcome.Refused { Errors: var errors } when errors.TryGetValue("reason", out var reason):
                    _noteError = string.Join(" ", reason);
                    break;
                case ProposalOutcome.Refused refused:
                    _problems = ["Nothing was written:", .. refused.Errors.SelectMany(p => p.Value)];
                    _preview = null;
                    break;
                case ProposalOutcome.OwnProposal:
                    _own = true;
                    break;
                case ProposalOutcome.AlreadyDecided decided:
                    _problems = [$"Nothing was written: {decided.Decision.Metadata?.Actor ?? "someone"} already {(decided.Decision.Event is CorrectionApproved ? "approved" : "rejected")} it (revision {decided.Decision.Revision})."];
                    _preview = null;
                    break;
                case ProposalOutcome.Conflict:
                    _problems = ["Nothing was written: the account kept changing meanwhile. Try again."];
                    break;
                case ProposalOutcome.NotFound notFound:
                    _problems = [notFound.Message];
                    break;
            }
        }
        finally
        {
            _sending = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
