using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AuditDashboard.Accounts;
using AuditDashboard.Corrections;

namespace AuditDashboard.Configuration;

/// <summary>
/// Four eyes on large corrections (section <c>Corrections</c>). <c>ApprovalThreshold</c> maps a currency to the absolute
/// amount above which a correction must be approved by a second Support user, e.g. <c>Corrections:ApprovalThreshold:EUR</c>;
/// the key <c>Default</c> covers the currencies not listed. A currency without a threshold never needs approval.
/// </summary>
public sealed class CorrectionOptions : IValidatableObject
{
    public const string Section = "Corrections";
    public const string DefaultKey = "Default";

    // Bound as text and parsed here: the binder silently drops a dictionary value it cannot convert, which would turn
    // a typo into "no threshold" (no four eyes) instead of a start-up error.
    public Dictionary<string, string> ApprovalThreshold { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ApprovalThresholds ToThresholds()
    {
        var parsed = ApprovalThreshold.ToDictionary(p => p.Key, p => Parse(p.Value) ?? throw new ValidationException($"Corrections:ApprovalThreshold:{p.Key} is not an amount."), StringComparer.OrdinalIgnoreCase);
        return new ApprovalThresholds(
            parsed.Where(p => !IsDefaultKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
            parsed.FirstOrDefault(p => IsDefaultKey(p.Key)) is { Key: not null } d ? d.Value : null);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, text) in ApprovalThreshold)
        {
            if (!IsDefaultKey(key) && !Currencies.IsWellFormed(key))
            {
                yield return new ValidationResult(
                    $"Corrections:ApprovalThreshold:{key} is not a currency: use an ISO 4217 code in capitals (e.g. EUR) or '{DefaultKey}'.");
            }
            else if (Parse(text) is not { } value)
            {
                yield return new ValidationResult($"Corrections:ApprovalThreshold:{key} is not an amount: '{text}' (write it like 10000 or 2500.50).");
            }
            else if (value <= 0)
            {
                yield return new ValidationResult($"Corrections:ApprovalThreshold:{key} must be a positive amount; it is {text}.");
            }
        }
    }

    private static decimal? Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsDefaultKey(string key) => string.Equals(key, DefaultKey, StringComparison.OrdinalIgnoreCase);
}
