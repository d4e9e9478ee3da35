namespace AuditDashboard.Core.Corrections;

/// <summary>
/// The one rule for the text of a reason (a correction's, a rejection's, an approval's note): what it must hold and what
/// it may not, so the API and the dialogs give the same answer in the same words.
/// <para>
/// Lengths count what a reader sees: user-perceived characters (grapheme clusters), leaving out whitespace and
/// invisible format characters (zero-width spaces, joiners, direction marks), so twelve zero-width spaces are not a
/// reason. Control characters and the bidirectional embeddings, overrides and isolates are refused: they hide or
/// reorder what a reviewer reads (a right-to-left override shows "gnp.exe" as "exe.png"), in the dashboard, in an
/// exported file and in a terminal. Line feeds and tabs are allowed — the dialogs take several lines — and so is a
/// carriage return directly before a line feed (Windows line ends); a lone carriage return, which overwrites the line
/// on a terminal, is refused.
/// </para>
/// </summary>
public static class ReasonText
{
    /// <param name="text">The reason as given (it is trimmed here).</param>
    /// <param name="required">Whether an empty reason is a problem; an optional one may be empty, but never hide anything.</param>
    /// <param name="missing">The message for a missing required reason.</param>
    /// <returns>What is wrong with the reason, or null when it may be stored.</returns>
    public static string? Problem(string? text, bool required, string missing)
    {
        var given = text ?? "";
        if (Forbidden(given) is { } forbidden)
            return forbidden;

        var reason = given.Trim();
        var visible = VisibleLength(reason);
        if (reason.Length == 0)
            return required ? missing : null;
        if (required && visible < CorrectionRules.MinReasonLength)
        {
            return visible == reason.Length
                ? $"The reason must be at least {CorrectionRules.MinReasonLength} characters; it has {visible}."
                : $"The reason must be at least {CorrectionRules.MinReasonLength} characters; it has {visible} (spaces and invisible characters such as zero-width spaces do not count).";
        }

        return reason.Length > CorrectionRules.MaxReasonLength
            ? $"The reason must be at most 1,000 characters; it has {reason.Length}."
            : null;
    }

    /// <summary>How many characters of <paramref name="text"/> a reader sees: grapheme clusters that are not only whitespace or format characters.</summary>
    public static int VisibleLength(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            if (!Invisible(elements.GetTextElement()))
                count++;
        }

        return count;
    }

    /// <summary>The first character the reason may not hold, named with its code point and its position (counted in characters as a reader counts them, from 1).</summary>
    private static string? Forbidden(string text)
    {
        var position = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            position++;
            var element = elements.GetTextElement();
            var start = elements.ElementIndex;
            for (var i = start; i < start + element.Length; i++)
            {
                if (NameOfForbidden(text, i) is { } name)
                    return $"The reason contains {name} (U+{(int)text[i]:X4}) at position {position}; remove it.";
            }
        }

        return null;
    }

    private static string? NameOfForbidden(string text, int index) => text[index] switch
    {
        '\n' or '\t' => null,
        '\r' => index + 1 < text.Length && text[index + 1] == '\n' ? null : "a carriage return without a line feed",
        '\0' => "a null character",
        '\u202A' => "a left-to-right embedding",
        '\u202B' => "a right-to-left embedding",
        '\u202C' => "a pop directional formatting",
        '\u202D' => "a left-to-right override",
        '\u202E' => "a right-to-left override",
        '\u2066' => "a left-to-right isolate",
        '\u2067' => "a right-to-left isolate",
        '\u2068' => "a first strong isolate",
        '\u2069' => "a pop directional isolate",
        var c when char.IsControl(c) => "a control character",
        var c when char.IsSurrogate(c) && !Paired(text, index) => "an unpaired surrogate (not a character)",
        _ => null,
    };

    private static bool Paired(string text, int index) =>
        char.IsHighSurrogate(text[index]) ? index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
        : index > 0 && char.IsHighSurrogate(text[index - 1]);

    private static bool Invisible(string element)
    {
        foreach (var rune in element.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.Control))
                return false;
        }

        return true;
    }
}
