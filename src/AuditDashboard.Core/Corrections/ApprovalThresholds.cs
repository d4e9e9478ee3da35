using System.Collections.Frozen;

namespace AuditDashboard.Corrections;

/// <summary>
/// Above which absolute amount a correction needs a second Support user's approval, per currency, with an optional
/// threshold for the currencies not listed. A currency with no threshold never needs approval.
/// </summary>
public sealed class ApprovalThresholds
{
    private readonly FrozenDictionary<string, decimal> _byCurrency;
    private readonly decimal? _otherwise;

    public ApprovalThresholds(IReadOnlyDictionary<string, decimal> byCurrency, decimal? otherwise)
    {
        ArgumentNullException.ThrowIfNull(byCurrency);
        _byCurrency = byCurrency.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _otherwise = otherwise;
    }

    /// <summary>No four eyes anywhere: every valid correction is written at once.</summary>
    public static ApprovalThresholds None { get; } = new(new Dictionary<string, decimal>(), null);

    /// <summary>The threshold for <paramref name="currency"/>, or null when its corrections never need approval.</summary>
    public decimal? For(string currency) => _byCurrency.TryGetValue(currency, out var threshold) ? threshold : _otherwise;

    /// <summary>True when a correction moving <paramref name="amount"/> (either way) must be approved before it is written.</summary>
    public bool RequireApproval(decimal amount, string currency) => For(currency) is { } threshold && Math.Abs(amount) > threshold;
}
