namespace AuditDashboard.Core.Export;

/// <summary>How values become the text of an export's fields: invariant culture, UTC ISO-8601 times.</summary>
public static class ExportText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A UTC ISO-8601 time with seven fraction digits, e.g. <c>2026-11-27T20:12:40.1234567Z</c>.</summary>
    public static string Time(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The event's bytes as UTF-8 text, or <c>base64:</c> and their Base64 when they are not UTF-8.</summary>
    public static string Payload(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(bytes.Span);
        }
    }
}
