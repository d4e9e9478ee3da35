using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace AuditDashboard.Export;

/// <summary>The outcome of checking an export: valid with its count and digest, or the first row (and line) that does not match.</summary>
public sealed record VerificationResult(bool IsValid, string Message, long? Count = null, string? Digest = null, long? FailedRow = null, long? Line = null)
{
    public static VerificationResult Valid(long count, string digest) =>
        new(true, $"Valid: {count:N0} event{(count == 1 ? "" : "s")}, final digest {digest}.", count, digest);

    public static VerificationResult Invalid(string message, long? row = null, long? line = null) => new(false, message, FailedRow: row, Line: line);
}

/// <summary>
/// Checks a CSV or NDJSON export offline: the column header, row numbers 0..n+1 in order, every row's hash against the
/// chain recomputed from the row before, the end row's count, and nothing after it. Reports the first row that does not
/// match. Never throws on bad content.
/// </summary>
public static class ExportVerifier
{
    public static VerificationResult Verify(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            var first = (char)reader.Peek();
            if (reader.Peek() < 0)
                return VerificationResult.Invalid("The file is empty: it is not an export.");
            if (first == '%')
                return VerificationResult.Invalid("This is a PDF: it is for reading. Verify the CSV or NDJSON export of the same range; the access log holds every export's digest.");
            return first == '{' ? Check(NdjsonRows(reader)) : Check(CsvRows(reader));
        }
        catch (NotAnExportException ex)
        {
            return VerificationResult.Invalid(ex.Message, ex.Row, ex.Line);
        }
        catch (DecoderFallbackException)
        {
            return VerificationResult.Invalid("The file is not UTF-8 text: it is not an export.");
        }
        catch (CsvHelperException ex)
        {
            return VerificationResult.Invalid($"The file is not valid CSV near line {ex.Context?.Parser?.RawRow}: it is not an export, or it was cut or altered.", line: ex.Context?.Parser?.RawRow);
        }
    }

    private static VerificationResult Check(IEnumerable<(long Line, string[] Cells)> rows)
    {
        var previous = ExportChain.Genesis;
        long expected = 0, events = 0;
        string? endCount = null;
        var ended = false;
        foreach (var (line, cells) in rows)
        {
            if (ended)
                return VerificationResult.Invalid($"Line {line} follows the end row: something was added after the export ended.", expected, line);

            var fields = cells[..^1];
            var hash = cells[^1];
            var where = $"row {expected} (line {line})";
            if (!long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return VerificationResult.Invalid($"Line {line}: '{Shorten(fields[0])}' is not a row number; expected row {expected}.", expected, line);
            if (number != expected)
            {
                var what = number > expected ? $"row {expected} is missing (found row {number})" : $"row {number} is out of order (expected row {expected})";
                return VerificationResult.Invalid($"Line {line}: {what}.", expected, line);
            }

            var kind = fields[1];
            var expectedKind = expected == 0 ? ExportRowKinds.Export : null;
            if (expectedKind is not null && kind != expectedKind)
                throw new NotAnExportException("The first row is not an export header: the file is not an export.", 0, line);
            if (expected > 0 && kind is not (ExportRowKinds.Event or ExportRowKinds.End))
                return VerificationResult.Invalid($"Line {line}: {where} has an unknown kind '{Shorten(kind)}'.", expected, line);

            var computed = ExportChain.Compute(previous, fields);
            if (!string.Equals(computed, hash, StringComparison.Ordinal))
                return VerificationResult.Invalid($"Line {line}: {where} does not match its hash: the row, or one before it, was altered.", expected, line);

            previous = hash;
            expected++;
            if (kind == ExportRowKinds.Event)
                events++;
            if (kind == ExportRowKinds.End)
            {
                ended = true;
                endCount = CountOf(fields[ExportColumns.Data]);
                if (endCount != events.ToString(CultureInfo.InvariantCulture))
                    return VerificationResult.Invalid($"Line {line}: the end row counts {endCount ?? "no"} events, but the file holds {events}.", number, line);
            }
        }

        if (expected == 0)
            return VerificationResult.Invalid("The file holds no rows: it is not an export.");
        if (!ended)
            return VerificationResult.Invalid($"The file is truncated: it ends after row {expected - 1} without the end row.", expected);
        return VerificationResult.Valid(events, previous);
    }

    private static string? CountOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(long Line, string[] Cells)> CsvRows(TextReader reader)
    {
        using var parser = new CsvParser(reader, CsvExportWriter.Configuration, leaveOpen: true);
        if (!parser.Read() || !parser.Record!.SequenceEqual(ExportColumns.All))
            throw new NotAnExportException("The first line is not the export's column header: the file is not a CSV export.", null, 1);

        while (parser.Read())
        {
            var record = parser.Record!;
            var line = (long)parser.Row;
            if (record.Length != ExportColumns.All.Count)
                throw new NotAnExportException($"Line {line} has {record.Length} cells, not {ExportColumns.All.Count}: the file was cut or altered.", null, line);
            yield return (line, Array.ConvertAll(record, CsvCells.Restore));
        }
    }

    private static IEnumerable<(long Line, string[] Cells)> NdjsonRows(TextReader reader)
    {
        long line = 0;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
                continue;
            yield return (line, ParseLine(text, line));
        }
    }

    private static string[] ParseLine(string text, long line)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new NotAnExportException($"Line {line} is not a JSON object: the file is not an NDJSON export.", null, line);
            var cells = new string[ExportColumns.All.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                var name = ExportColumns.All[i];
                if (!document.RootElement.TryGetProperty(name, out var value))
                    throw new NotAnExportException($"Line {line} has no '{name}': the file is not an export, or it was altered.", null, line);
                cells[i] = value.ValueKind switch
                {
                    JsonValueKind.Null => "",
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Number => value.GetRawText(),
                    _ => throw new NotAnExportException($"Line {line}: '{name}' is neither text, a number nor null.", null, line),
                };
            }

            return cells;
        }
        catch (JsonException)
        {
            throw new NotAnExportException($"Line {line} is not valid JSON: the file is not an NDJSON export, or it was cut or altered.", null, line);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed class NotAnExportException(string message, long? row, long? line) : Exception(message)
    {
        public long? Row { get; } = row;

        public long? Line { get; } = line;
    }
}
