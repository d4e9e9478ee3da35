using System.Text;
using System.Text.Json;

namespace AuditDashboard.Endpoints;

/// <summary>Shows stored bytes faithfully: JSON when they parse, the text as stored otherwise.</summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonElement? TryParse(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
            return null;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Invalid UTF-8 shows as replacement characters rather than failing.</summary>
    public static string AsText(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Pretty-printed JSON, or the raw text when it does not parse.</summary>
    public static string Pretty(ReadOnlyMemory<byte> bytes) =>
        TryParse(bytes) is { } element ? JsonSerializer.Serialize(element, Indented) : AsText(bytes);
}
