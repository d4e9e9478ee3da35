using AuditDashboard.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Accounts.Corrections;

/// <summary>
/// Prepares a correction on the account as the user sees it, previews its effect in both time views, and posts it at
/// the revision previewed; a change meanwhile is shown, and nothing is written.
/// </summary>
public sealed partial class CorrectionDialog(
    CorrectionService corrections,
    IAuthorizationService authorization,
    CorrectionSnapshots accounts,
    TimeProvider time)
{
    private readonly Guid _commandId = Guid.NewGuid();
    private string? _amountText;
    private string? _reason;
    private string? _currency;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private CorrectionPreview? _preview;
    private ApprovalCheck? _approval;
    private string _actor = "";
    private CorrectionOutcome.Conflict? _conflict;
    private bool _posting;
    private bool _touched;

    // The account as previewed: the parameter at first, the latest after "Preview again" (a parent re-render must not undo that).
    private TimelineSnapshot? _seen;
    private TimelineSnapshot? _given;
    private decimal? _correctedBalance;

    // The rules' "now", fixed when the account was taken: a default effective time must not change on every keystroke.
    private DateTimeOffset _now;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The account as the user saw it when opening the dialog.</summary>
    [Parameter, EditorRequired]
    public TimelineSnapshot Snapshot { get; set; } = default!;

    [Parameter]
    public CorrectionKind Kind { get; set; }

    /// <summary>
    /// The account's latest balance as corrected when <see cref="Snapshot"/> is a compact snapshot of a long account (see
    /// <see cref="CorrectionSnapshots"/>); null when it is the whole timeline.
    /// </summary>
    [Parameter]
    public decimal? CorrectedBalance { get; set; }

    /// <summary>The event to reverse, or the one an adjustment is about.</summary>
    [Parameter]
    public TimelineEntry? Target { get; set; }

    /// <summary>A reason written for the user (a duplicate's reversal says what it repeats); theirs to change.</summary>
    [Parameter]
    public string? InitialReason { get; set; }

    private IEnumerable<KeyValuePair<string, string[]>> OtherErrors =>
        _touched ? _errors.Where(p => p.Key is not ("amount" or "reason")) : [];

    protected override async Task OnInitializedAsync()
    {
        // The approval limits add up the signed-in user's own earlier corrections.
        if (Authentication is not null)
            _actor = (await Authentication).User.Identity?.Name ?? "";
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_given, Snapshot))
        {
            _given = Snapshot;
            _seen = Snapshot;
            _reason ??= InitialReason;
            _correctedBalance = CorrectedBalance;
            _now = time.GetUtcNow();
        }

        _currency = _seen!.Current.Currency;
        Evaluate();
    }

    private bool HasError(string field) => _touched && _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _touched && _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    private void AmountChanged(string? text)
    {
        _amountText = text;
        _touched = true;
        Evaluate();
    }

    private void ReasonChanged(string? text)
    {
        _reason = text;
        _touched = true;
        Evaluate();
    }

    private CorrectionRequest Request()
    {
        decimal? amount = null;
        if (Kind == CorrectionKind.Adjustment && decimal.TryParse(_amountText?.Trim().Replace('−', '-'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            amount = parsed;
        return new CorrectionRequest(Kind, Target?.Record.EventId, amount, _reason, null);
    }

    /// <summary>Runs the rules on every keystroke: the preview is only ever of a correction that may be written.</summary>
    private void Evaluate()
    {
        var request = Request();
        var decision = CorrectionRules.Decide(request, _seen!, _now);
        var errors = decision.Errors.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (Kind == CorrectionKind.Adjustment && request.Amount is null && !string.IsNullOrWhiteSpace(_amountText))
            errors["amount"] = [$"“{_amountText}” is not an amount; write it like -12.50."];
        _errors = errors;
        // Typing the reason leaves the correction as it is: keep its preview instead of refolding the account per keystroke.
        _preview = !decision.IsValid || errors.Count > 0 ? null
            : _preview is { } shown && shown.Correction == decision.Correction && ReferenceEquals(shown.Account, _seen) ? shown
            : CorrectionPreview.Of(AccountId, _seen!, decision, _now, _correctedBalance);

        // Whether it becomes a proposal is the service's rule, asked with this user's earlier corrections: the dialog says what the server will do.
        _approval = _preview is null ? null : corrections.CheckApproval(_actor, AccountId, _seen!, decision.Amount);
    }

    private async Task PostAsync()
    {
        _touched = true;
        if (_preview is null || _posting)
            return;

        // Set before any await, so a double click cannot pass the guard twice.
        _posting = true;

        // The dialog is only offered to Support, but the server decides: check the signed-in user here, on the server.
        var user = Authentication is null ? null : (await Authentication).User;
        if (user is null || !(await authorization.AuthorizeAsync(user, Policies.PostCorrections)).Succeeded)
        {
            _errors = new Dictionary<string, string[]> { ["account"] = ["Only Support staff may post corrections."] };
            _posting = false;
            return;
        }

        try
        {
            var command = new CorrectionCommand(AccountId, Request(), _seen!.Current.Revision ?? -1, _commandId,
                user.Identity?.Name ?? "unknown", _commandId.ToString("N"), "audit-dashboard");
            switch (await corrections.PostAsync(command))
            {
                case CorrectionOutcome.Written written:
                    Dialog.Close(DialogResult.Ok(written.Revision));
                    break;
                case CorrectionOutcome.Proposed proposed:
                    Dialog.Close(DialogResult.Ok(proposed));
                    break;
                case CorrectionOutcome.Conflict conflict:
                    _conflict = conflict;
                    break;
                case CorrectionOutcome.Refused refused:
                    _errors = refused.Errors;
                    _preview = null;
                    break;
                default:
                    _errors = new Dictionary<string, string[]> { ["account"] = ["The account no longer exists."] };
                    break;
            }
        }
        finally
        {
            _posting = false;
        }
    }

    private async Task PreviewAgainAsync()
    {
        var account = await accounts.OpenAsync(AccountId, Target is { } target ? [target.Revision] : []);
        if (account is null)
            return;
        _seen = account.Snapshot;
        _correctedBalance = account.CorrectedBalance;
        _now = time.GetUtcNow();
        _conflict = null;
        Evaluate();
    }

    private void Cancel() => Dialog.Cancel();

    // How many events were written since the revision previewed (a long account's conflict lists the first thousand).
    private static long NewCount(CorrectionOutcome.Conflict conflict) =>
        conflict.ActualRevision is { } actual ? Math.Max(actual - conflict.ExpectedRevision, conflict.NewEvents.Count) : conflict.NewEvents.Count;
}
