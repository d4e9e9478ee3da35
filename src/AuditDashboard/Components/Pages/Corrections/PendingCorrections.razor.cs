using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Corrections;

/// <summary>
/// The proposals waiting for a second Support user, and the recent decisions, kept live from the ledger feed. The page
/// and every decision require the Support role on the server.
/// </summary>
public sealed partial class PendingCorrections(CorrectionProposals proposals, IDialogService dialogs, ISnackbar snackbar) : IDisposable
{
    private const int DecidedShown = 200;

    private IReadOnlyList<ProposalView> _pending = [];
    private IReadOnlyList<ProposalView> _decided = [];
    private string? _userName;
    private int _tab;
    private IDisposable? _subscription;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    private string PendingText => _pending.Count switch
    {
        0 => "Nothing waiting",
        1 => "1 waiting for approval",
        var n => $"{Figures.Count(n)} waiting for approval",
    };

    /// <summary>What a proposal would write, in words.</summary>
    public static string Describe(CorrectionProposed proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.Correction == AccountEventTypes.TransactionReversed
            ? $"Reverse revision {proposal.EventRevision}"
            : proposal.EventRevision is { } about ? $"Adjust the balance (about revision {about})" : "Adjust the balance";
    }

    protected override async Task OnInitializedAsync()
    {
        if (Authentication is not null)
            _userName = (await Authentication).User.Identity?.Name;
        Refresh();
        _subscription = proposals.Subscribe(() => InvokeAsync(() =>
        {
            Refresh();
            StateHasChanged();
        }));
    }

    public void Dispose() => _subscription?.Dispose();

    private void Refresh()
    {
        _pending = proposals.Pending();
        _decided = proposals.Decided(DecidedShown);
    }

    private bool IsOwn(ProposalView proposal) => proposal.IsProposedBy(_userName);

    private static string AccountLink(ProposalView proposal) =>
        $"accounts/{Uri.EscapeDataString(proposal.AccountId)}?revision={proposal.Revision}";

    private async Task DecideAsync(ProposalView proposal, bool approve)
    {
        var parameters = new DialogParameters<ProposalDecisionDialog>
        {
            { d => d.Proposal, proposal },
            { d => d.Approve, approve },
        };
        var dialog = await dialogs.ShowAsync<ProposalDecisionDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        switch (result?.Data)
        {
            case ProposalOutcome.Approved approved:
                snackbar.Add($"Approved: {proposal.AccountId} corrected at revision {approved.CorrectionRevision}.", Severity.Success);
                break;
            case ProposalOutcome.Rejected rejected:
                snackbar.Add($"Rejected at {proposal.AccountId} revision {rejected.Revision}; nothing was corrected.", Severity.Info);
                break;
        }

        Refresh();
    }
}
