using System.ComponentModel.DataAnnotations;
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

    public Dictionary<string, decimal> ApprovalThreshold { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ApprovalThresholds ToThresholds() => new(
        ApprovalThreshold.Where(p => !IsDefaultKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
        ApprovalThreshold.FirstOrDefault(p => IsDefaultKey(p.Key)) is { Key: not null } d ? d.Value : null);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, value) in ApprovalThreshold)
        {
            if (!IsDefaultKey(key) && !Currencies.IsWellFormed(key))
            {
                yield return new ValidationResult(
                    $"Corrections:ApprovalThreshold:{key} is not a currency: use an ISO 4217 code in capitals (e.g. EUR) or '{DefaultKey}'.");
            }
            else if (value <= 0)
            {
                yield return new ValidationResult($"Corrections:ApprovalThreshold:{key} must be a positive amount; it is {value}.");
            }
        }
    }

    private static bool IsDefaultKey(string key) => string.Equals(key, DefaultKey, StringComparison.OrdinalIgnoreCase);
}
