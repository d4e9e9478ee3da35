using AuditDashboard.Access;
using AuditDashboard.Core.Export;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditDashboard.Components.Pages.Accounts;

/// <summary>
/// Who looked at an account in a chosen period, from the access log: for compliance reviewers only. The reader checks the
/// role again on the server before it reads anything, so the card shows nothing to anyone else even if placed for them.
/// </summary>
public sealed partial class WhoViewedCard(AccessLogReader reader, TimeProvider time)
{
    private const string CustomPeriod = "custom";

    private static readonly (string Key, string Label)[] Periods =
        [("1", "Last 24 hours"), ("7", "Last 7 days"), ("30", "Last 30 days"), (CustomPeriod, "Custom period")];

    private string _period = "7";
    private string? _customFrom;
    private string? _customTo;
    private IReadOnlyList<AccessRecorded>? _viewers;
    private string? _error;
    private string? _loadedFor;

    [Parameter]
    public string AccountId { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    // Read when the account changes, not on every render of the page around it.
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == AccountId)
            return;
        _loadedFor = AccountId;
        await LoadAsync();
    }

    private async Task OnPeriodChangedAsync(string period)
    {
        _period = period;
        if (period != CustomPeriod)
            await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _error = null;
        if (Authentication is null || Period() is not { } period)
            return;
        _viewers = null;
        try
        {
            _viewers = await reader.ViewersAsync((await Authentication).User, AccountId, period.From, period.To);
            if (_viewers is null)
                _error = "Only compliance reviewers may see who viewed an account.";
        }
        catch (EventStoreUnavailableException ex)
        {
            _error = $"The access log cannot be read: {ex.Message}";
        }
    }

    // The period chosen; null, with a word why, when the custom one is not valid.
    private (DateTimeOffset From, DateTimeOffset To)? Period()
    {
        var now = time.GetUtcNow();
        if (_period != CustomPeriod)
            return (now.AddDays(-int.Parse(_period, CultureInfo.InvariantCulture)), now);
        var errors = new Dictionary<string, string[]>();
        var filter = AccessLogQuery.Parse(null, null, null, _customFrom, _customTo, Clock.Zone, errors);
        if (filter.From is null && !errors.ContainsKey("from"))
            errors["from"] = ["from: enter the start of the period, e.g. 2026-12-01T00:00."];
        if (errors.Count > 0)
        {
            _error = string.Join(" ", errors.Values.SelectMany(v => v));
            return null;
        }

        return (filter.From!.Value, filter.To ?? now);
    }

    private static string ActionLabel(AccessAction action) => action switch
    {
        AccessAction.AccountViewed => "Viewed the page",
        AccessAction.AccountRead => "Read over the API",
        _ => action.ToString(),
    };
}
