using System.Text.Json;
using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Replay;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>How a PDF export writes the values it shows: views, ranges, moments in UTC, counts and amounts.</summary>
internal static class PdfReportText
{
    public static string ViewText(ReplayView view) => view == ReplayView.Corrected ? "As corrected" : "As recorded";

    public static string RangeText(ExportRange range) => (range.From, range.To) switch
    {
        (null, null) => "All time",
        ({ } from, null) => $"From {Moment(from)} UTC",
        (null, { } to) => $"Up to {Moment(to)} UTC",
        ({ } from, { } to) => $"{Moment(from)} to {Moment(to)} UTC",
    };

    public static string Moment(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Moment(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment)
            ? Moment(moment)
            : text;

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long count) => count == 1 ? "1 event" : Number(count) + " events";

    /// <summary>An amount with thousands separators and at least its currency's minor units, never rounded; the text as stored if it is no number.</summary>
    public static string Amount(string text, string currency, bool signed = true)
    {
        if (text.Length == 0)
            return "";
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            return currency.Length == 0 ? text : $"{text} {currency}";
        var digits = Math.Max(currency.Length == 0 ? 2 : Currencies.MinorUnits(currency), (int)value.Scale);
        var number = value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (signed && value > 0)
            number = "+" + number;
        return currency.Length == 0 ? number : $"{number} {currency}";
    }

    /// <summary>The account's currency after <paramref name="row"/>: the row's own, else an opening's, else <paramref name="current"/>; a flagged row changes nothing.</summary>
    public static string CurrencyAfter(ExportRow row, string current)
    {
        if (row[16].Length > 0)
            return current;
        if (row[14].Length > 0)
            return row[14];
        return row[6] == AccountEventTypes.AccountOpened && CurrencyOf(row[ExportColumns.Data]) is { } opened ? opened : current;
    }

    /// <summary>The <c>currency</c> property of an event's JSON data, or null.</summary>
    private static string? CurrencyOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("currency", out var currency)
                && currency.ValueKind == JsonValueKind.String
                    ? currency.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
