using System.Text.Json.Nodes;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>
/// Every way of altering an export that the brief names, on both formats: the verifier says invalid and names the row
/// that was altered, or the row where the numbering breaks.
/// </summary>
public sealed class ExportTamperingTests
{
    public static TheoryData<ExportFormat> Formats => [ExportFormat.Csv, ExportFormat.Ndjson];

    private static readonly string[] EditedColumns =
    [
        "row", "kind", "global_position", "stream_revision", "recorded_at", "effective_at", "event_type", "event_id", "actor",
        "reason", "amount", "balance_after", "flag", "problem", "data", "hash",
    ];

    private static void AssertFailsAt(VerificationResult result, long row, string what)
    {
        Assert.False(result.IsValid, $"{what}: verified as valid.");
        Assert.True(row == result.FailedRow, $"{what}: failed at row {(result.FailedRow is { } failed ? RfcCsv.Number(failed) : "null")}, not {row}: {result.Message}");
        Assert.Null(result.Count);
        Assert.Null(result.Digest);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    private static void AssertNotAnExport(VerificationResult result, string what)
    {
        Assert.False(result.IsValid, $"{what}: verified as valid.");
        Assert.Null(result.FailedRow);
        Assert.Contains("not", result.Message, StringComparison.Ordinal);
    }

    /// <summary>The line a row is on: NDJSON counts lines; CSV counts records, as a spreadsheet numbers its rows (line 1: the column names).</summary>
    private static long LineOf(ExportFormat format, long row) => format == ExportFormat.Csv ? row + 2 : row + 1;

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Flipping_any_byte_of_any_row_fails_at_that_row(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var spans = export.RowSpans;

        var tried = 0;
        for (var row = 0; row < spans.Count; row++)
        {
            var (start, end) = spans[row];
            var lineEnd = format == ExportFormat.Csv ? 2 : 1;
            for (var at = start; at < end - lineEnd; at++)
            {
                var bytes = (byte[])export.Bytes.Clone();
                bytes[at] = Flip(bytes[at]);
                var result = Verify(bytes);
                if (at == 0)
                    AssertNotAnExport(result, "the first byte of an NDJSON export flipped"); // it no longer reads as NDJSON at all
                else
                    AssertFailsAt(result, row, $"byte {at} of row {row} ('{(char)export.Bytes[at]}' → '{(char)bytes[at]}')");
                tried++;
            }
        }

        Assert.True(tried > 5_000, $"only {tried} bytes tried");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_byte_that_is_not_UTF8_in_any_row_fails_at_that_row(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var spans = export.RowSpans;

        for (var row = 0; row < spans.Count; row++)
        {
            var (start, end) = spans[row];
            foreach (var at in new[] { start, start + ((end - start) / 2), end - 3 })
            {
                var bytes = (byte[])export.Bytes.Clone();
                bytes[at] = 0xFF;
                var result = Verify(bytes);
                Assert.Contains("not UTF-8", result.Message, StringComparison.Ordinal);
                if (at == 0)
                    AssertNotAnExport(result, "the first byte of an NDJSON export not UTF-8");
                else
                    AssertFailsAt(result, row, $"0xFF at byte {at} of row {row}");
            }
        }
    }

    [Fact]
    public async Task A_character_swapped_for_bytes_that_are_not_UTF8_but_read_alike_is_still_caught()
    {
        // U+FFFD is what a lenient reader makes of a byte that is not UTF-8; swapping a genuine one for such a byte keeps
        // the text the chain covers, but not the file.
        var history = History();
        history[9] = Events.Raw(9, "LoyaltyPointsAwarded", "points \uFFFD 40");
        var export = await ExportAsync(ExportFormat.Csv, history);
        var bytes = export.Bytes;
        var at = bytes.AsSpan().IndexOf("\uFFFD"u8);

        var tampered = (byte[])[.. bytes[..at], 0xFF, .. bytes[(at + 3)..]];

        Assert.True(Verify(bytes).IsValid);
        var result = Verify(tampered);
        Assert.False(result.IsValid);
        Assert.Contains("not UTF-8", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_any_cell_of_the_CSV_and_writing_it_back_as_proper_CSV_fails_at_that_row()
    {
        var export = await ExportAsync(ExportFormat.Csv, History());
        var records = RfcCsv.Parse(export.Bytes);
        Assert.Equal(RfcCsv.Write(records.Select(r => r.Cells)), export.Bytes); // the re-serialisation is faithful

        for (var row = 0; row < records.Count - 1; row++)
        {
            foreach (var column in EditedColumns)
            {
                var index = ExportColumns.All.ToList().IndexOf(column);
                var cells = records.Select(r => (string[])r.Cells.Clone()).ToList();
                var edited = Mutate(CsvCells.Restore(cells[row + 1][index]));
                cells[row + 1][index] = CsvCells.Neutralise(edited);

                AssertFailsAt(Verify(RfcCsv.Write(cells)), row, $"{column} of row {row} set to '{edited}'");
            }
        }
    }

    [Fact]
    public async Task Editing_any_value_of_the_NDJSON_and_writing_it_back_as_proper_JSON_fails_at_that_row()
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        for (var row = 0; row < lines.Length; row++)
        {
            foreach (var column in EditedColumns)
            {
                var json = JsonNode.Parse(lines[row])!.AsObject();
                json[column] = json[column] switch
                {
                    null => "x",
                    var value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => value.GetValue<long>() + 1,
                    var value => Mutate(value.GetValue<string>()),
                };
                var tampered = lines.ToArray();
                tampered[row] = json.ToJsonString();

                AssertFailsAt(Verify(string.Join('\n', tampered) + "\n"), row, $"{column} of row {row} set to {json[column]?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Dropping_the_quote_that_neutralises_a_formula_is_caught_though_the_text_is_unchanged()
    {
        var history = History();
        history[1] = Events.Recorded(1, new FundsDeposited(1500m, "EUR", null), Note("=HYPERLINK(\"http://x\",\"y\")"));
        var export = await ExportAsync(ExportFormat.Csv, history);
        var records = RfcCsv.Parse(export.Bytes);
        var reason = ExportColumns.All.ToList().IndexOf("reason");
        Assert.Equal("'=HYPERLINK(\"http://x\",\"y\")", records[3].Cells[reason]); // the column names, row 0, 1, then row 2

        var armed = records.Select(r => (string[])r.Cells.Clone()).ToList();
        armed[3][reason] = "=HYPERLINK(\"http://x\",\"y\")";
        var quoted = records.Select(r => (string[])r.Cells.Clone()).ToList();
        quoted[4][reason] = "'" + quoted[4][reason];

        Assert.True(Verify(RfcCsv.Write(records.Select(r => r.Cells))).IsValid);
        var result = Verify(RfcCsv.Write(armed));
        AssertFailsAt(result, 2, "the neutralising ' dropped");
        Assert.Contains("'reason'", result.Message, StringComparison.Ordinal);
        AssertFailsAt(Verify(RfcCsv.Write(quoted)), 3, "a ' added to a plain cell");
    }

    [Fact]
    public async Task A_quote_added_to_a_plain_number_and_a_quote_dropped_from_a_negative_formula_are_both_caught()
    {
        var history = History();
        history[1] = Events.Recorded(1, new FundsDeposited(1500m, "EUR", null), Note("-1+2"));
        var export = await ExportAsync(ExportFormat.Csv, history);
        var records = RfcCsv.Parse(export.Bytes);
        var reason = ExportColumns.All.ToList().IndexOf("reason");
        var amount = ExportColumns.All.ToList().IndexOf("amount");
        Assert.Equal("'-1+2", records[3].Cells[reason]); // the column names, row 0, 1, then row 2
        Assert.Equal("-250.50", records[4].Cells[amount]);

        var quotedNumber = records.Select(r => (string[])r.Cells.Clone()).ToList();
        quotedNumber[4][amount] = "'-250.50";
        var armedFormula = records.Select(r => (string[])r.Cells.Clone()).ToList();
        armedFormula[3][reason] = "-1+2";

        Assert.True(Verify(RfcCsv.Write(records.Select(r => r.Cells))).IsValid);
        var quoted = Verify(RfcCsv.Write(quotedNumber));
        AssertFailsAt(quoted, 3, "a ' added to a plain negative number");
        Assert.Contains("'amount'", quoted.Message, StringComparison.Ordinal);
        var armed = Verify(RfcCsv.Write(armedFormula));
        AssertFailsAt(armed, 2, "the ' dropped from a formula that starts like a number");
        Assert.Contains("'reason'", armed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Deleting_any_row_fails_where_the_numbering_breaks(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var n = export.Rows;

        for (var deleted = 0; deleted < n; deleted++)
        {
            var result = Verify(export.WithRows(Enumerable.Range(0, n).Where(r => r != deleted)));

            AssertFailsAt(result, deleted, $"row {deleted} deleted");
            if (deleted < n - 1)
            {
                Assert.Contains($"row {deleted} is missing", result.Message, StringComparison.Ordinal);
                Assert.Equal(LineOf(format, deleted), result.Line);
            }
            else
            {
                Assert.Contains("truncated", result.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Swapping_any_two_adjacent_rows_fails_at_the_first_of_them(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var n = export.Rows;

        for (var first = 0; first < n - 1; first++)
        {
            var order = Enumerable.Range(0, n).ToArray();
            (order[first], order[first + 1]) = (order[first + 1], order[first]);

            var result = Verify(export.WithRows(order));

            AssertFailsAt(result, first, $"rows {first} and {first + 1} swapped");
            Assert.Equal(LineOf(format, first), result.Line);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Repeating_any_row_fails_at_the_copy(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var n = export.Rows;

        for (var copied = 0; copied < n; copied++)
        {
            var order = Enumerable.Range(0, n).SelectMany(r => r == copied ? new[] { r, r } : [r]);

            var result = Verify(export.WithRows(order));

            AssertFailsAt(result, copied + 1, $"row {copied} repeated");
            Assert.Equal(LineOf(format, copied + 1), result.Line);
            Assert.Contains(copied == n - 1 ? "follows the end row" : "out of order", result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_row_appended_after_the_end_fails_even_when_it_is_correctly_numbered_and_hashed(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var n = export.Rows;
        var lastEvent = export.Cells()[n - 2];
        var fields = (string[])lastEvent[..^1].Clone();
        fields[0] = RfcCsv.Number(n);
        var row = new ExportRow(fields, ExportChain.Compute(export.Summary.Digest, fields));

        var appended = Append(format, export.Bytes, row);

        var result = Verify(appended);
        AssertFailsAt(result, n, "a row appended");
        Assert.Contains("follows the end row", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_file_cut_after_any_row_lacks_its_end_row(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var n = export.Rows;

        for (var kept = 1; kept < n; kept++)
        {
            var result = Verify(export.WithRows(Enumerable.Range(0, kept)));

            AssertFailsAt(result, kept, $"cut after row {kept - 1}");
            Assert.Contains("truncated", result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_file_cut_in_the_middle_of_any_row_fails_at_that_row(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var spans = export.RowSpans;

        for (var row = 0; row < spans.Count; row++)
        {
            var (start, end) = spans[row];
            var lineEnd = format == ExportFormat.Csv ? 2 : 1;
            foreach (var cut in new[] { start + 1, start + ((end - start) / 3), start + ((end - start) / 2), end - lineEnd - 5, end - lineEnd - 1 })
            {
                var result = Verify(export.Bytes[..cut]);

                AssertFailsAt(result, row, $"cut at byte {cut} in row {row}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Changing_the_end_rows_count_or_an_events_row_kind_fails_at_that_row(ExportFormat format)
    {
        var export = await ExportAsync(format, History());
        var cells = export.Cells().Select(r => (string[])r.Clone()).ToList();
        var n = cells.Count;

        // Rehash everything after the edit too, as a forger would: only the header row's hash (the digest in the access
        // log) then gives it away, and the row numbering or the count still must hold.
        var forged = Rehash(cells, c => c[^1][ExportColumns.Data] = c[^1][ExportColumns.Data].Replace("\"count\":13", "\"count\":12", StringComparison.Ordinal));
        var result = Verify(Serialise(format, forged));
        AssertFailsAt(result, n - 1, "end row counting 12 of 13");
        Assert.Contains("counts 12 events, but the file holds 13", result.Message, StringComparison.Ordinal);

        var ended = Rehash(cells, c => c[3][1] = "end");
        AssertFailsAt(Verify(Serialise(format, ended)), 3, "an event row called an end row");

        var header = Rehash(cells, c => c[0][1] = "event");
        result = Verify(Serialise(format, header));
        AssertFailsAt(result, 0, "the header row called an event");
        Assert.Contains("not an export header", result.Message, StringComparison.Ordinal);

        var unknown = Rehash(cells, c => c[5][1] = "comment");
        result = Verify(Serialise(format, unknown));
        AssertFailsAt(result, 5, "a row of an unknown kind");
        Assert.Contains("unknown kind", result.Message, StringComparison.Ordinal);

        var rehashed = Rehash(cells, c => c[4][9] = "a different reason");
        Assert.True(Verify(Serialise(format, rehashed)).IsValid, "a fully re-hashed file is well formed");
        Assert.NotEqual(export.Summary.Digest, Verify(Serialise(format, rehashed)).Digest);
    }

    /// <summary>The rows with <paramref name="edit"/> applied and every hash recomputed, as a forger holding the chain's recipe would.</summary>
    internal static List<string[]> Rehash(List<string[]> rows, Action<List<string[]>> edit)
    {
        var copy = rows.Select(r => (string[])r.Clone()).ToList();
        edit(copy);
        var previous = ExportChain.Genesis;
        foreach (var row in copy)
        {
            row[^1] = ExportChain.Compute(previous, row[..^1]);
            previous = row[^1];
        }

        return copy;
    }

    internal static byte[] Serialise(ExportFormat format, IEnumerable<string[]> rows)
    {
        if (format == ExportFormat.Csv)
            return RfcCsv.Write([ExportColumns.All, .. rows.Select(r => r.Select(CsvCells.Neutralise))]);

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var json = new JsonObject();
            for (var i = 0; i < row.Length; i++)
            {
                json[ExportColumns.All[i]] = row[i].Length == 0 ? null
                    : i < ExportColumns.Fields.Count && ExportColumns.IsWholeNumber(i) ? JsonValue.Create(long.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture))
                    : JsonValue.Create(row[i]);
            }

            text.Append(json.ToJsonString()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Append(ExportFormat format, byte[] bytes, ExportRow row)
    {
        var line = Serialise(format, [[.. row.Fields, row.Hash]]);
        if (format == ExportFormat.Csv)
            line = RfcCsv.Write([row.Fields.Append(row.Hash).Select(CsvCells.Neutralise)])[RfcCsv.Bom.Length..]; // no column header
        return [.. bytes, .. line];
    }
}
