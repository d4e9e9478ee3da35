using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuditDashboard.Core.Signing;
using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>A realistic history of ACC-1 and the tools to export it, take the files apart and put them back together.</summary>
internal static class ExportSamples
{
    public const string Account = "ACC-1";

    public static readonly DateTimeOffset ExportedAt = new(2026, 11, 27, 20, 12, 40, TimeSpan.Zero);

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Bytes that are not UTF-8: a broken two-byte sequence, a byte never used in UTF-8, NUL, a lone continuation byte.</summary>
    public static readonly byte[] NotUtf8 = [0xC3, 0x28, 0xFF, 0x00, 0x80];

    public static ExportHeader Header(ExportFormat format = ExportFormat.Csv, ExportRange? range = null, ReplayView view = ReplayView.Recorded) =>
        new(new Guid("6f1d2c3b-4a59-4e8f-9b0a-1c2d3e4f5a6b"), Account, view, range ?? ExportRange.All, format, "auditor:eva", ExportedAt);

    public static EventMetadata Note(string reason, string actor = "teller:ana", string? approvedBy = null) =>
        new(actor, reason, "corr-7", "cause-3", "tests", approvedBy);

    /// <summary>
    /// Opened, money in and out (one overdraws the account), reasons with commas, quotes, line breaks, tabs, backslashes,
    /// unicode and markup, a correction effective before it was recorded, a reversal, an event of an unknown type, data
    /// that is not JSON and data that is not UTF-8. Recorded a minute apart (revision r at T0 + r minutes).
    /// </summary>
    public static RecordedEvent[] History()
    {
        var rent = Recorded(2, new FundsWithdrawn(250.50m, "EUR", "RENT-03"), Note("Rent \"March\" paid, flat 3\"B"));
        return
        [
            Recorded(0, new AccountOpened(Account, "Ana Lima", "EUR"), Note("Account opened at branch")),
            Recorded(1, new FundsDeposited(1500m, "EUR", "SAL-2026-03"), Note("Salary, March, 2026")),
            rent,
            Recorded(3, new FundsDeposited(99.99m, "EUR", null), Note("line one\r\nline two\nline three\rend")),
            Recorded(4, new FundsWithdrawn(20m, "EUR", null), Note("tab\there, a backslash \\ and C:\\new\\table\\")),
            Recorded(5, new FundsDeposited(12.34m, "EUR", "Café"), Note("Überweisung für Café ☕ — 日本語 🎉 ½ \u00A0 \u200B")),
            Recorded(6, new FundsDeposited(1m, "EUR", "<script>"), Note("<script>alert('x')</script> & <b>bold</b>")),
            Recorded(7, new BalanceCorrected(-50m, "EUR", null, T0.AddMinutes(1).AddSeconds(30)), Note("Fee charged twice", "support:bo", "supervisor:cy")),
            Recorded(8, new TransactionReversed(rent.EventId, rent.Revision, 250.50m, "EUR", rent.Created), Note("Rent paid by the landlord's error", "support:bo", "supervisor:cy")),
            Raw(9, "LoyaltyPointsAwarded", """{"points":40,"note":"unknown to the dashboard"}"""),
            Raw(10, AccountEventTypes.FundsDeposited, "this is not JSON, \"at all\" {"),
            Bytes(11, AccountEventTypes.FundsDeposited, NotUtf8),
            Recorded(12, new FundsWithdrawn(2000m, "EUR", null), Note("Overdraft, approved")),
        ];
    }

    /// <summary>An event whose data is the raw <paramref name="data"/>, at revision <paramref name="revision"/>.</summary>
    public static RecordedEvent Bytes(long revision, string type, byte[] data, string? metadata = null) =>
        new(AccountIds.StreamOf(Account), revision, revision + 1, Guid.NewGuid(), type, data,
            Encoding.UTF8.GetBytes(metadata ?? """{"actor":"a","reason":"r","correlationId":"c","source":"s"}"""), T0.AddMinutes(revision));

    public static IAsyncEnumerable<ExportEntry> Entries(IReadOnlyList<RecordedEvent> events, ReplayView view = ReplayView.Recorded) =>
        TimelineExport.EntriesOf(AccountReplay.Of(Account, Fold([.. events]), view));

    public static ExportWriter Writer(ExportFormat format, Stream output) =>
        format == ExportFormat.Csv ? new CsvExportWriter(output) : new NdjsonExportWriter(output);

    /// <summary>
    /// Exports <paramref name="events"/> in <paramref name="format"/> (the header says <paramref name="header"/>'s format unless
    /// given), signed with <paramref name="signingKeys"/> when given.
    /// </summary>
    public static async Task<Exported> ExportAsync(
        ExportFormat format, IReadOnlyList<RecordedEvent> events, ExportHeader? header = null, ReplayView view = ReplayView.Recorded, ISigningKeys? signingKeys = null)
    {
        using var output = new MemoryStream();
        ExportSummary summary;
        await using (var writer = Writer(format, output))
            summary = await TimelineExport.WriteAsync(header ?? Header(format), Entries(events, view), writer, signingKeys, cancellationToken: TestContext.Current.CancellationToken);
        return new Exported(format, output.ToArray(), summary);
    }

    public static VerificationResult Verify(byte[] bytes) => ExportVerifier.Verify(new MemoryStream(bytes));

    public static VerificationResult Verify(string text) => Verify(Encoding.UTF8.GetBytes(text));

    /// <summary>The hash of a row as <see cref="ExportChain"/>'s documentation describes it, computed here independently.</summary>
    public static string ExpectedHash(string previous, IEnumerable<string> fields)
    {
        var text = new StringBuilder(previous);
        foreach (var field in fields)
        {
            text.Append('\t');
            text.Append(field.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\t", @"\t", StringComparison.Ordinal)
                .Replace("\n", @"\n", StringComparison.Ordinal).Replace("\r", @"\r", StringComparison.Ordinal));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Changes one character of a field's text, or gives an empty one some: never a change that leaves it equal.</summary>
    public static string Mutate(string value)
    {
        if (value.Length == 0)
            return "x";
        var last = value[^1];
        var replacement = char.IsAsciiDigit(last) ? (char)('0' + ((last - '0' + 1) % 10)) : last == 'x' ? 'y' : 'x';
        return value[..^1] + replacement;
    }

    /// <summary>A different byte of the same kind, so that a flip changes what the byte means but keeps it ASCII where it was.</summary>
    public static byte Flip(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => (byte)('0' + ((b - '0' + 1) % 10)),
        (byte)'x' => (byte)'y',
        _ when char.IsAsciiLetter((char)b) => (byte)'x',
        (byte)'#' => (byte)'%',
        _ => (byte)'#',
    };
}

/// <summary>An export's bytes and what the export said it wrote.</summary>
internal sealed record Exported(ExportFormat Format, byte[] Bytes, ExportSummary Summary)
{
    public string Text => ExportSamples.StrictUtf8.GetString(Bytes);

    /// <summary>The byte spans of row 0, 1, … n+1 (the column header line of a CSV excluded), each with its line end.</summary>
    public IReadOnlyList<(int Start, int End)> RowSpans =>
        Format == ExportFormat.Csv ? [.. RfcCsv.Parse(Bytes).Skip(1).Select(r => (r.Start, r.End))] : NdjsonSpans(Bytes);

    public int Rows => RowSpans.Count;

    /// <summary>The bytes with the row spans reordered, dropped or repeated: <paramref name="rows"/> lists which rows, in order.</summary>
    public byte[] WithRows(IEnumerable<int> rows)
    {
        var spans = RowSpans;
        var prefix = Bytes.AsSpan(0, spans[0].Start).ToArray();
        return [.. prefix, .. rows.SelectMany(r => Bytes[spans[r].Start..spans[r].End])];
    }

    /// <summary>The rows' fields and hash as the verifier must read them back: NDJSON values (null as ""), CSV cells restored.</summary>
    public IReadOnlyList<string[]> Cells() => Format == ExportFormat.Csv
        ? [.. RfcCsv.Parse(Bytes).Skip(1).Select(r => r.Cells.Select(CsvCells.Restore).ToArray())]
        : [.. Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(NdjsonCells)];

    private static string[] NdjsonCells(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        return [.. ExportColumns.All.Select(name => json[name] is { } value ? value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString() : "")];
    }

    private static List<(int Start, int End)> NdjsonSpans(byte[] bytes)
    {
        var spans = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n')
                continue;
            spans.Add((start, i + 1));
            start = i + 1;
        }

        Assert.Equal(bytes.Length, start); // every line ends with LF
        return spans;
    }
}

/// <summary>
/// A strict RFC 4180 reader and writer, independent of the CSV library the export uses: a record is cells separated by
/// commas and ended by CRLF; a quoted cell doubles its quotes; anything else is an error.
/// </summary>
internal static class RfcCsv
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public sealed record Record(int Start, int End, string[] Cells, bool[] Quoted);

    /// <summary>The records of a UTF-8 CSV that starts with a byte-order mark, each with its byte span (CRLF included).</summary>
    public static List<Record> Parse(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith(Bom))
            throw new FormatException("No UTF-8 byte-order mark.");
        var records = new List<Record>();
        var p = Bom.Length;
        while (p < bytes.Length)
        {
            var start = p;
            var cells = new List<string>();
            var quoted = new List<bool>();
            while (true)
            {
                var cell = new List<byte>();
                if (bytes[p] == (byte)'"')
                {
                    p++;
                    while (true)
                    {
                        if (p >= bytes.Length)
                            throw new FormatException($"Unterminated quoted cell at byte {start}.");
                        if (bytes[p] == (byte)'"')
                        {
                            if (p + 1 < bytes.Length && bytes[p + 1] == (byte)'"')
                            {
                                cell.Add((byte)'"');
                                p += 2;
                                continue;
                            }

                            p++;
                            break;
                        }

                        cell.Add(bytes[p++]);
                    }

                    quoted.Add(true);
                }
                else
                {
                    while (p < bytes.Length && bytes[p] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
                    {
                        if (bytes[p] == (byte)'"')
                            throw new FormatException($"A quote inside an unquoted cell at byte {p}.");
                        cell.Add(bytes[p++]);
                    }

                    quoted.Add(false);
                }

                cells.Add(ExportSamples.StrictUtf8.GetString([.. cell]));
                if (p < bytes.Length && bytes[p] == (byte)',')
                {
                    p++;
                    continue;
                }

                if (p + 1 < bytes.Length && bytes[p] == (byte)'\r' && bytes[p + 1] == (byte)'\n')
                {
                    p += 2;
                    break;
                }

                throw new FormatException($"A record not ended by CRLF at byte {p}.");
            }

            records.Add(new Record(start, p, [.. cells], [.. quoted]));
        }

        return records;
    }

    /// <summary>Writes records as the export does: a byte-order mark, every cell quoted, quotes doubled, CRLF line ends.</summary>
    public static byte[] Write(IEnumerable<IEnumerable<string>> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
            text.Append(string.Join(',', record.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append("\r\n");
        return [.. Bom, .. ExportSamples.StrictUtf8.GetBytes(text.ToString())];
    }

    public static string Cell(this Record record, string column) =>
        record.Cells[ExportColumns.All.ToList().IndexOf(column)];

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
