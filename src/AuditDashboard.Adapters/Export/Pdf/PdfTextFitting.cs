using PdfSharp.Drawing;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// How text of any length goes into a place of fixed width: made plain (one line, nothing interpreted), cut with "…" to fit,
/// or wrapped into lines.
/// </summary>
internal static class PdfTextFitting
{
    private const string Ellipsis = "…";

    /// <summary>The longest start of <paramref name="text"/> that, with "…", fits <paramref name="width"/> (the whole text if it fits).</summary>
    public static string Fit(XGraphics g, string text, XFont font, double width)
    {
        if (text.Length == 0 || g.MeasureString(text, font).Width <= width)
            return text;
        int low = 0, high = text.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (g.MeasureString(Cut(text, mid) + Ellipsis, font).Width <= width)
                low = mid;
            else
                high = mid - 1;
        }

        return low == 0 ? (g.MeasureString(Ellipsis, font).Width <= width ? Ellipsis : "") : Cut(text, low).TrimEnd() + Ellipsis;
    }

    /// <summary>
    /// The text as it is drawn: line breaks and tabs become spaces, other control and bidirectional-override characters and
    /// lone surrogates become U+FFFD, so what is shown is exactly the characters stored, one line, nothing interpreted.
    /// </summary>
    public static string Plain(string text)
    {
        StringBuilder? plain = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char? replacement = c switch
            {
                '\r' or '\n' or '\t' => ' ',
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when char.IsSurrogate(c) || char.IsControl(c) || IsBidiControl(c) => '\uFFFD',
                _ => null,
            };
            if (replacement is { } r)
            {
                plain ??= new StringBuilder(text, 0, i, text.Length);
                plain.Append(r);
            }
            else
            {
                plain?.Append(c);
            }
        }

        return plain?.ToString() ?? text;
    }

    /// <summary>The words of <paramref name="text"/> in lines no wider than <paramref name="width"/> (a longer word gets a line of its own).</summary>
    public static List<string> Wrap(XGraphics g, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && g.MeasureString(candidate, font).Width > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        if (line.Length > 0)
            lines.Add(line.ToString());
        return lines;
    }

    // Never splits a surrogate pair.
    private static string Cut(string text, int length) =>
        length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
