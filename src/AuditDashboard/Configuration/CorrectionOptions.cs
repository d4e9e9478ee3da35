namespace AuditDashboard.Configuration;

/// <summary>
/// Four eyes on large corrections (section <c>Corrections</c>). <c>ApprovalThreshold</c> maps a currency to the absolute
/// amount above which a correction must be approved by a second Support user, e.g. <c>Corrections:ApprovalThreshold:EUR</c>;
/// the key <c>Default</c> covers the currencies not listed. A currency without a threshold never needs approval.
/// <para>
/// The threshold also holds for one user's corrections on one account added up over <c>ApprovalWindow</c> (a time span,
/// default <c>1.00:00:00</c>, 24 h), and <c>CrossAccountThreshold</c> (per currency and <c>Default</c>, like the
/// threshold; by default five times it) for their corrections on all accounts over the same window.
/// </para>
/// </summary>
public sealed class CorrectionOptions : IValidatableObject
{
    public const string Section = "Corrections";
    public const string DefaultKey = "Default";

    // Bound as text and parsed here: the binder silently drops a dictionary value it cannot convert, which would turn
    // a typo into "no threshold" (no four eyes) instead of a start-up error.
    public Dictionary<string, string> ApprovalThreshold { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The limit of one user's corrections across all accounts within the window, per currency (same form as <see cref="ApprovalThreshold"/>).</summary>
    public Dictionary<string, string> CrossAccountThreshold { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How far back one user's corrections add up, as a time span (<c>d.hh:mm:ss</c>); empty: 24 h.</summary>
    public string? ApprovalWindow { get; set; }

    public ApprovalThresholds ToThresholds()
    {
        var single = Amounts(ApprovalThreshold, nameof(ApprovalThreshold));
        var across = Amounts(CrossAccountThreshold, nameof(CrossAccountThreshold));
        return new ApprovalThresholds(
            single.Where(p => !IsDefaultKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
            single.FirstOrDefault(p => IsDefaultKey(p.Key)) is { Key: not null } d ? d.Value : null,
            string.IsNullOrWhiteSpace(ApprovalWindow) ? null : ParseWindow(ApprovalWindow) ?? throw new ValidationException("Corrections:ApprovalWindow is not a time span."),
            across.Where(p => !IsDefaultKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
            across.FirstOrDefault(p => IsDefaultKey(p.Key)) is { Key: not null } a ? a.Value : null);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in ValidateAmounts(ApprovalThreshold, nameof(ApprovalThreshold)).Concat(ValidateAmounts(CrossAccountThreshold, nameof(CrossAccountThreshold))))
            yield return result;

        if (!string.IsNullOrWhiteSpace(ApprovalWindow) && ParseWindow(ApprovalWindow) is not { } window)
        {
            yield return new ValidationResult(
                $"Corrections:ApprovalWindow is not a time span: '{ApprovalWindow}' (write it as d.hh:mm:ss, e.g. 1.00:00:00 for 24 hours or 12:00:00 for 12).");
        }
        else if (ParseWindow(ApprovalWindow) is { } given && given <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Corrections:ApprovalWindow must be longer than zero; it is {ApprovalWindow}.");
        }
    }

    private static IEnumerable<ValidationResult> ValidateAmounts(Dictionary<string, string> amounts, string name)
    {
        foreach (var (key, text) in amounts)
        {
            if (!IsDefaultKey(key) && !Currencies.IsWellFormed(key))
            {
                yield return new ValidationResult(
                    $"Corrections:{name}:{key} is not a currency: use an ISO 4217 code in capitals (e.g. EUR) or '{DefaultKey}'.");
            }
            else if (Parse(text) is not { } value)
            {
                yield return new ValidationResult($"Corrections:{name}:{key} is not an amount: '{text}' (write it like 10000 or 2500.50).");
            }
            else if (value <= 0)
            {
                yield return new ValidationResult($"Corrections:{name}:{key} must be a positive amount; it is {text}.");
            }
        }
    }

    private static Dictionary<string, decimal> Amounts(Dictionary<string, string> amounts, string name) =>
        amounts.ToDictionary(p => p.Key, p => Parse(p.Value) ?? throw new ValidationException($"Corrections:{name}:{p.Key} is not an amount."), StringComparer.OrdinalIgnoreCase);

    private static TimeSpan? ParseWindow(string? text) =>
        TimeSpan.TryParseExact(text?.Trim(), "c", CultureInfo.InvariantCulture, out var window) ? window : null;

    private static decimal? Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsDefaultKey(string key) => string.Equals(key, DefaultKey, StringComparison.OrdinalIgnoreCase);
}
