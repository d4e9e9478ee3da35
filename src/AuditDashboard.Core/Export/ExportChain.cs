namespace AuditDashboard.Core.Export;

/// <summary>
/// The hash chain of an export. A row's hash is the SHA-256, as 64 lowercase hex digits, of the UTF-8 bytes of the previous
/// row's hash, a tab, and the row's fields (every column but <c>hash</c>, in column order) joined by tabs, each field with
/// <c>\</c>, tab, line feed and carriage return written as <c>\\</c>, <c>\t</c>, <c>\n</c> and <c>\r</c>. Row 0's
/// "previous hash" is 64 zeros. The form is the same whatever the file format, so a CSV and an NDJSON export of the same
/// rows carry the same hashes.
/// </summary>
public sealed class ExportChain
{
    /// <summary>The "previous hash" of row 0.</summary>
    public static readonly string Genesis = new('0', 64);

    public string Previous { get; private set; } = Genesis;

    /// <summary>Hashes <paramref name="fields"/> onto the chain and returns the row's hash.</summary>
    public string Add(IReadOnlyList<string> fields)
    {
        Previous = Compute(Previous, fields);
        return Previous;
    }

    /// <summary>The hash of a row with <paramref name="fields"/> that follows a row hashed <paramref name="previous"/>.</summary>
    public static string Compute(string previous, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder(previous.Length + 256).Append(previous);
        foreach (var field in fields)
        {
            text.Append('\t');
            AppendEscaped(text, field);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static void AppendEscaped(StringBuilder text, string field)
    {
        foreach (var c in field)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\t' => text.Append(@"\t"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                _ => text.Append(c),
            };
        }
    }
}
