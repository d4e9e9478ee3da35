namespace AuditDashboard.Components.Common;

/// <summary>
/// Shows times in the viewer's time zone, as the browser reports it (an IANA id such as <c>Europe/Paris</c>).
/// A zone the browser does not report, or one this server does not know, falls back to UTC and says so.
/// </summary>
public sealed class ViewerClock
{
    public static ViewerClock Utc { get; } = new(TimeZoneInfo.Utc, "UTC", isReported: false);

    private ViewerClock(TimeZoneInfo zone, string zoneName, bool isReported)
    {
        Zone = zone;
        ZoneName = zoneName;
        IsReported = isReported;
    }

    public TimeZoneInfo Zone { get; }

    public string ZoneName { get; }

    /// <summary>False when the browser did not report a usable zone and times show in UTC.</summary>
    public bool IsReported { get; }

    public static ViewerClock For(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId) || ianaId.Length > 64)
            return Utc;
        try
        {
            return new ViewerClock(TimeZoneInfo.FindSystemTimeZoneById(ianaId), ianaId, isReported: true);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Utc;
        }
    }

    public DateTimeOffset ToLocal(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    /// <summary>e.g. <c>2026-11-24 15:00:03</c>.</summary>
    public string Format(DateTimeOffset time) => ToLocal(time).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public string Format(DateTimeOffset? time) => time is { } t ? Format(t) : "—";
}
