namespace AuditDashboard.Components.Common;

/// <summary>Counts formatted like the money beside them (invariant digits), whatever the server's culture.</summary>
public static class Figures
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long? value) => value is { } v ? Count(v) : "—";

    /// <summary>A span of time as people say it: "under a second", "42 s", "3 min 5 s", "2 h 10 min".</summary>
    public static string Span(TimeSpan value)
    {
        var span = value.Duration();
        if (span < TimeSpan.FromSeconds(1))
            return "under a second";
        if (span < TimeSpan.FromMinutes(1))
            return $"{(int)span.TotalSeconds} s";
        if (span < TimeSpan.FromHours(1))
            return span.Seconds == 0 ? $"{(int)span.TotalMinutes} min" : $"{(int)span.TotalMinutes} min {span.Seconds} s";
        return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
    }
}
