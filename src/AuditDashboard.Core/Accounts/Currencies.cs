namespace AuditDashboard.Core.Accounts;

/// <summary>ISO 4217 facts the ledger needs: how many minor units a currency has.</summary>
public static class Currencies
{
    private static readonly Dictionary<string, int> MinorUnitExceptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JPY"] = 0, ["KRW"] = 0, ["ISK"] = 0, ["CLP"] = 0, ["VND"] = 0, ["HUF"] = 2,
        ["BHD"] = 3, ["KWD"] = 3, ["OMR"] = 3, ["JOD"] = 3, ["TND"] = 3,
    };

    /// <summary>A currency code has the shape of ISO 4217: three ASCII letters.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    public static int MinorUnits(string currency) => MinorUnitExceptions.GetValueOrDefault(currency, 2);

    /// <summary>Formats an amount with its currency's minor units, e.g. <c>1,234.50 EUR</c>.</summary>
    public static string Format(decimal amount, string? currency)
    {
        var digits = currency is null ? 2 : MinorUnits(currency);
        var text = amount.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return currency is null ? text : $"{text} {currency}";
    }
}
