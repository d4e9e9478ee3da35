namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Whether a correction needs a second Support user's approval, and why, in words the dialog and the API both show.
/// </summary>
/// <param name="Limit">The limit it crosses, or <see cref="ApprovalLimit.None"/>.</param>
/// <param name="Amount">The correction's absolute amount.</param>
/// <param name="Currency">The account's currency.</param>
/// <param name="Threshold">The limit crossed (or, when none is, the per-account threshold; null when the currency never needs approval).</param>
/// <param name="Earlier">The user's earlier corrections within <paramref name="Window"/>.</param>
/// <param name="Window">How far back corrections add up.</param>
public sealed record ApprovalCheck(ApprovalLimit Limit, decimal Amount, string Currency, decimal? Threshold, EarlierCorrections Earlier, TimeSpan Window)
{
    private const string Consequence =
        "this is recorded as a proposal, and the balance changes only when another Support user approves it on Pending corrections.";

    public bool Required => Limit != ApprovalLimit.None;

    /// <summary>Why the correction becomes a proposal; null when it does not.</summary>
    public string? Explanation => Limit switch
    {
        ApprovalLimit.OneCorrection => $"Above the approval threshold of {Money(Threshold)}: {Consequence}",
        ApprovalLimit.Account =>
            $"You have corrected {Money(Earlier.OnAccount)} on this account in the last {WindowText}; with this one {Money(Earlier.OnAccount + Amount)} " +
            $"exceeds the {Money(Threshold)} limit: {Consequence}",
        ApprovalLimit.AcrossAccounts =>
            $"You have corrected {Money(Earlier.AcrossAccounts)} across all accounts in the last {WindowText}; with this one {Money(Earlier.AcrossAccounts + Amount)} " +
            $"exceeds the {Money(Threshold)} limit across accounts: {Consequence}",
        _ => null,
    };

    private string WindowText => Window.TotalHours is var hours && hours >= 1 && hours == Math.Floor(hours)
        ? $"{hours.ToString("N0", CultureInfo.InvariantCulture)} h"
        : $"{Window.TotalMinutes.ToString("N0", CultureInfo.InvariantCulture)} min";

    private string Money(decimal? amount) => Currencies.Format(amount ?? 0m, Currency);
}
