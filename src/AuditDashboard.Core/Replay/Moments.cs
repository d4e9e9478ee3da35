namespace AuditDashboard.Core.Replay;

/// <summary>
/// Reads a moment someone typed. With an offset (<c>2026-11-24T15:00:00+01:00</c>, <c>…Z</c>) it is exact; without one it
/// is a wall-clock time in <c>zone</c>, which may not exist (clocks go forward) or happen twice (clocks go back).
/// </summary>
public static class Moments
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
        "yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd'T'H:mm",
    ];

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm'Z'", "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd HH:mm zzz", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm 'Z'", "yyyy-MM-dd HH:mm:ss 'Z'",
    ];

    /// <summary>
    /// Parses <paramref name="text"/>; a time without offset is read in <paramref name="zone"/>, or refused when
    /// <paramref name="zone"/> is null. On failure <paramref name="error"/> says why in words a user can act on.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo? zone, out DateTimeOffset moment, out string error) =>
        TryParse(text, zone, now: null, out moment, out error);

    /// <summary>
    /// <see cref="TryParse(string?, TimeZoneInfo?, out DateTimeOffset, out string)"/>, and with <paramref name="now"/> a
    /// day named in words: "today 9:30" and "yesterday 15:00" are those wall-clock times in <paramref name="zone"/>.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo? zone, DateTimeOffset? now, out DateTimeOffset moment, out string error)
    {
        moment = default;
        error = "";
        var value = text?.Trim() ?? "";
        if (now is { } today && zone is not null && InWords(value, zone, today) is { } dated)
            value = dated;
        if (value.Length == 0)
        {
            error = "Enter a date and time, e.g. 2026-11-24T15:00.";
            return false;
        }

        try
        {
            if (DateTimeOffset.TryParseExact(value, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact))
            {
                moment = exact.ToUniversalTime();
                return true;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"{value} is outside the range of dates this ledger can hold.";
            return false;
        }

        if (LooksLikeADecodedPlus(value))
        {
            error = $"“{Shorten(value)}” looks like an offset whose '+' was lost; in a URL write '+' as %2B (…T15:00%2B01:00).";
            return false;
        }

        if (!DateTime.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"“{Shorten(value)}” is not a date and time; use the form 2026-11-24 15:00 or 2026-11-24T15:00 (with an offset, 2026-11-24T15:00+01:00){(now is null ? "" : ", or today 9:30")}.";
            return false;
        }

        if (zone is null)
        {
            error = $"“{Shorten(value)}” has no UTC offset; add one, e.g. {value}Z or {value}+01:00.";
            return false;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            error = $"{value} does not exist in {zone.Id}: the clocks jumped forward over it.";
            return false;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local).Order().Select(FormatOffset);
            error = $"{value} happened twice in {zone.Id} (the clocks went back); add the offset you mean: {string.Join(" or ", offsets.Select(o => value + o))}.";
            return false;
        }

        var offset = zone.GetUtcOffset(local);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            error = $"{value} is outside the range of dates this ledger can hold.";
            return false;
        }

        moment = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }

    // "today 9:30" or "yesterday 15:00" as the date it names in the zone, followed by the time as typed; null otherwise.
    private static string? InWords(string value, TimeZoneInfo zone, DateTimeOffset now)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
            return null;
        var daysBack = value[..space].ToLowerInvariant() switch
        {
            "today" => 0,
            "yesterday" => 1,
            _ => -1,
        };
        if (daysBack < 0)
            return null;
        var day = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(-daysBack);
        return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + value[(space + 1)..].Trim();
    }

    // In a query string an unencoded '+' arrives as a space: "2026-11-24T15:00 01:00".
    private static bool LooksLikeADecodedPlus(string value) =>
        value.Length > 6 && value[^6] == ' ' && char.IsAsciiDigit(value[^5]) && char.IsAsciiDigit(value[^4]) && value[^3] == ':'
        && value.Contains('T', StringComparison.Ordinal);

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
