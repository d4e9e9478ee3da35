using System.Collections.Frozen;

namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Above which absolute amount a correction needs a second Support user's approval, per currency, with an optional
/// threshold for the currencies not listed. A currency with no threshold never needs approval.
/// <para>
/// The thresholds hold for what one Support user corrects within <see cref="Window"/>, not only for one correction:
/// on one account, the sum of their corrections counts against <see cref="For"/>; across all accounts, against
/// <see cref="AcrossAccountsFor"/> (by default <see cref="DefaultAcrossAccountsFactor"/> times the per-account one).
/// Otherwise four eyes could be split away: three corrections of 10,000.00 EUR where one of 30,000.00 needs approval.
/// </para>
/// </summary>
public sealed class ApprovalThresholds
{
    /// <summary>The window over which one user's corrections add up, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    /// <summary>Without a configured limit across accounts, a user may correct this many times the per-account threshold across accounts in a window.</summary>
    public const decimal DefaultAcrossAccountsFactor = 5m;

    private readonly FrozenDictionary<string, decimal> _byCurrency;
    private readonly decimal? _otherwise;
    private readonly FrozenDictionary<string, decimal> _acrossByCurrency;
    private readonly decimal? _acrossOtherwise;

    /// <param name="byCurrency">Per currency: the threshold for one correction, and for one user's sum on one account in the window.</param>
    /// <param name="otherwise">The same for currencies not listed; null: they never need approval.</param>
    /// <param name="window">How far back one user's corrections add up (default 24 h).</param>
    /// <param name="acrossAccounts">Per currency: the limit of one user's sum across all accounts in the window.</param>
    /// <param name="acrossAccountsOtherwise">The same for currencies not listed in <paramref name="acrossAccounts"/>.</param>
    public ApprovalThresholds(
        IReadOnlyDictionary<string, decimal> byCurrency,
        decimal? otherwise,
        TimeSpan? window = null,
        IReadOnlyDictionary<string, decimal>? acrossAccounts = null,
        decimal? acrossAccountsOtherwise = null)
    {
        ArgumentNullException.ThrowIfNull(byCurrency);
        if (window is { } w && w <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");
        _byCurrency = byCurrency.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _otherwise = otherwise;
        Window = window ?? DefaultWindow;
        _acrossByCurrency = (acrossAccounts ?? new Dictionary<string, decimal>()).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _acrossOtherwise = acrossAccountsOtherwise;
    }

    /// <summary>No four eyes anywhere: every valid correction is written at once.</summary>
    public static ApprovalThresholds None { get; } = new(new Dictionary<string, decimal>(), null);

    /// <summary>How far back one user's corrections add up against the thresholds.</summary>
    public TimeSpan Window { get; }

    /// <summary>The threshold for <paramref name="currency"/>, or null when its corrections never need approval.</summary>
    public decimal? For(string currency) => _byCurrency.TryGetValue(currency, out var threshold) ? threshold : _otherwise;

    /// <summary>
    /// The limit of one user's corrections in <paramref name="currency"/> across all accounts within the window: the one
    /// configured for the currency, else the configured default, else <see cref="DefaultAcrossAccountsFactor"/> times
    /// <see cref="For"/>; null when the currency never needs approval.
    /// </summary>
    public decimal? AcrossAccountsFor(string currency) =>
        For(currency) is not { } single ? null
        : _acrossByCurrency.TryGetValue(currency, out var limit) ? limit
        : _acrossOtherwise ?? single * DefaultAcrossAccountsFactor;

    /// <summary>True when a single correction moving <paramref name="amount"/> (either way) must be approved before it is written.</summary>
    public bool RequireApproval(decimal amount, string currency) => For(currency) is { } threshold && Math.Abs(amount) > threshold;
}
