using AuditDashboard.Core.Reports;

namespace AuditDashboard.Components.Pages.Reports;

/// <summary>
/// The period a report covers, as its address says it: a preset (<c>?period=last-month</c>) or two days
/// (<c>?period=custom&amp;from=2026-11-01&amp;to=2026-11-30</c>), both counted in the viewer's zone, from the first moment of the first day
/// to the last moment of the last.
/// </summary>
public sealed record PeriodChoice(string Preset, DateOnly From, DateOnly To)
{
    public const string ThisMonth = "this-month";
    public const string LastMonth = "last-month";
    public const string ThisQuarter = "this-quarter";
    public const string Custom = "custom";

    /// <summary>The presets in the order the page offers them, with their labels.</summary>
    public static IReadOnlyList<(string Preset, string Label)> Presets { get; } =
        [(ThisMonth, "This month"), (LastMonth, "Last month"), (ThisQuarter, "This quarter"), (Custom, "Custom")];

    private static readonly DateOnly Earliest = new(1970, 1, 1);
    private static readonly DateOnly Latest = new(9998, 12, 31);

    /// <summary>
    /// The period the parameters name on <paramref name="today"/>; this month when they name none. Null, with
    /// <paramref name="error"/> saying what is wrong, for an unknown preset, a day that is not one, or an empty period.
    /// </summary>
    public static PeriodChoice? Parse(string? preset, string? from, string? to, DateOnly today, out string? error)
    {
        error = null;
        if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to) || preset == Custom)
        {
            var start = Day(from, "from", ref error);
            var end = Day(to, "to", ref error);
            if (error is not null)
                return null;
            if (start > end)
            {
                error = $"The period is empty: from ({Text(start!.Value)}) is after to ({Text(end!.Value)}).";
                return null;
            }

            return new PeriodChoice(Custom, start!.Value, end!.Value);
        }

        var month = new DateOnly(today.Year, today.Month, 1);
        switch (string.IsNullOrWhiteSpace(preset) ? ThisMonth : preset)
        {
            case ThisMonth:
                return new PeriodChoice(ThisMonth, month, month.AddMonths(1).AddDays(-1));
            case LastMonth:
                return new PeriodChoice(LastMonth, month.AddMonths(-1), month.AddDays(-1));
            case ThisQuarter:
                var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
                return new PeriodChoice(ThisQuarter, quarter, quarter.AddMonths(3).AddDays(-1));
            default:
                error = $"'{Shown(preset!)}' is not a period: use {string.Join(", ", Presets.Select(p => p.Preset))}, or from and to.";
                return null;
        }
    }

    /// <summary>The day as the address writes it, e.g. 2026-11-30.</summary>
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The report period: the first moment of <see cref="From"/> to the last moment of <see cref="To"/> in <paramref name="zone"/>.</summary>
    public ReportPeriod In(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new ReportPeriod(StartOf(From, zone), StartOf(To.AddDays(1), zone).AddTicks(-1), zone);
    }

    // A day starts at its first valid local moment: where the clocks jump forward at midnight, an hour later.
    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateOnly? Day(string? text, string name, ref string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            error ??= $"Give both days of the period: {name} is missing.";
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day >= Earliest && day <= Latest)
            return day;
        error ??= $"{name} '{Shown(text)}' is not a day: use YYYY-MM-DD, e.g. 2026-11-30, from 1970 to 9998.";
        return null;
    }

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
