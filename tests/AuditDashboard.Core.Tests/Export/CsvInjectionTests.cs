using static AuditDashboard.Core.Tests.Events;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>Formula injection (OWASP "CSV injection") and the RFC 4180 shape of the CSV export.</summary>
public sealed class CsvInjectionTests
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '\0'];

    private static readonly string[] Dangerous =
    [
        "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "\0=1", "'=1", "=cmd|' /C calc'!A0",
        "-", "=", "''", "'",
    ];

    /// <summary>Every dangerous text as a reason and as an actor; as event data and as an event type; and negative amounts.</summary>
    private static RecordedEvent[] Injected()
    {
        var events = new List<RecordedEvent> { Recorded(0, new AccountOpened(Account, "=Owner()", "EUR"), Note("@open", "=teller")) };
        foreach (var text in Dangerous)
            events.Add(Recorded(events.Count, new FundsWithdrawn(10m, "EUR", text), Note(text, actor: text, approvedBy: text)));
        events.Add(Raw(events.Count, "=EvilType()", "=1+2"));
        events.Add(Raw(events.Count, AccountEventTypes.FundsDeposited, "-3+4"));
        events.Add(Raw(events.Count, "@Unknown", "@SUM(1)"));
        events.Add(Recorded(events.Count, new BalanceCorrected(-7.5m, "EUR", null, T0), Note("-correction")));
        return [.. events];
    }

    [Fact]
    public async Task No_cell_starts_with_a_formula_character_every_dangerous_text_gets_a_leading_quote()
    {
        var events = Injected();

        var export = await ExportAsync(ExportFormat.Csv, events);
        var records = RfcCsv.Parse(export.Bytes);

        foreach (var record in records)
        {
            foreach (var cell in record.Cells)
                Assert.True(cell.Length == 0 || !FormulaStarts.Contains(cell[0]) || CsvCells.IsPlainNumber(cell), $"A cell starts with a formula character: {cell}");
        }

        var rows = records.Skip(1).ToList();
        foreach (var (text, index) in Dangerous.Select((t, i) => (t, i)))
        {
            var row = rows[index + 2]; // row 0 the header, row 1 the opening
            Assert.Equal("'" + text, row.Cell("reason"));
            Assert.Equal("'" + text, row.Cell("actor"));
            Assert.Equal("'" + text, row.Cell("approved_by"));
            Assert.Equal("-10", row.Cell("amount"));
            Assert.StartsWith("-", row.Cell("balance_after"), StringComparison.Ordinal);
        }

        Assert.Contains(rows, r => r.Cell("event_type") == "'=EvilType()" && r.Cell("data") == "'=1+2");
        Assert.Contains(rows, r => r.Cell("data") == "'-3+4");
        Assert.Contains(rows, r => r.Cell("event_type") == "'@Unknown" && r.Cell("data") == "'@SUM(1)");
        Assert.Contains(rows, r => r.Cell("amount") == "-7.5" && r.Cell("reason") == "'-correction");
    }

    [Fact]
    public async Task The_raw_file_never_has_a_formula_character_right_after_a_cells_opening_quote()
    {
        var export = await ExportAsync(ExportFormat.Csv, Injected());
        var text = export.Text;

        // A cell opens at the start of a record or after a comma; the export quotes every cell.
        for (var i = 0; i < text.Length - 1; i++)
        {
            var opensCell = text[i] == '"' && (i == 1 || text[i - 1] == ',' || (text[i - 1] == '\n' && text[i - 2] == '\r'));
            var closes = opensCell ? text.IndexOf('"', i + 1) : -1;
            var plainNumber = opensCell && text[closes + 1] != '"' && CsvCells.IsPlainNumber(text[(i + 1)..closes]);
            if (opensCell && !plainNumber)
                Assert.DoesNotContain(text[i + 1], FormulaStarts);
        }

        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'+1+1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'-2+3\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(A1)\"", text, StringComparison.Ordinal);
        Assert.Contains("\"''=1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'\t=1+1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'\r=1+1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'\0=1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_neutralised_export_verifies_and_reads_back_the_original_texts()
    {
        var events = Injected();

        var csv = await ExportAsync(ExportFormat.Csv, events);
        var ndjson = await ExportAsync(ExportFormat.Ndjson, events, Header(ExportFormat.Csv));
        var result = Verify(csv.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(events.Length, result.Count);
        Assert.Equal(csv.Summary.Digest, result.Digest);
        Assert.Equal(ndjson.Summary.Digest, result.Digest); // the ' is the CSV's, not the chain's
        Assert.Equal(ndjson.Cells(), csv.Cells());
        var reasons = csv.Cells().Select(r => r[9]).ToList();
        Assert.All(Dangerous, text => Assert.Contains(text, reasons));
    }

    [Theory]
    [InlineData("=1", "'=1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "-1")]
    [InlineData("@a", "'@a")]
    [InlineData("\ta", "'\ta")]
    [InlineData("\ra", "'\ra")]
    [InlineData("\0a", "'\0a")]
    [InlineData("'a", "''a")]
    [InlineData("a=1", "a=1")]
    [InlineData(" =1", " =1")]
    [InlineData("\na", "\na")]
    [InlineData("", "")]
    [InlineData("1-2", "1-2")]
    public void Neutralise_prefixes_exactly_the_formula_starts_and_Restore_undoes_it(string value, string cell)
    {
        Assert.Equal(cell, CsvCells.Neutralise(value));
        Assert.Equal(value, CsvCells.Restore(CsvCells.Neutralise(value)));
    }

    [Theory]
    [InlineData("-245.27", "-245.27")]
    [InlineData("-0", "-0")]
    [InlineData("-007", "-007")]
    [InlineData("-1000000000", "-1000000000")]
    [InlineData("245.27", "245.27")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("-5e3", "'-5e3")]
    [InlineData("-5E3", "'-5E3")]
    [InlineData("--5", "'--5")]
    [InlineData("-.5", "'-.5")]
    [InlineData("-5.", "'-5.")]
    [InlineData("-1.2.3", "'-1.2.3")]
    [InlineData("-1,000.00", "'-1,000.00")]
    [InlineData("- 5", "'- 5")]
    [InlineData("-5 ", "'-5 ")]
    [InlineData("-5\n", "'-5\n")]
    [InlineData("-\u0663", "'-\u0663")]
    [InlineData("+5", "'+5")]
    [InlineData("=1", "'=1")]
    [InlineData("'-5", "''-5")]
    public void Neutralise_writes_a_plain_negative_number_as_it_is_and_anything_more_with_a_quote(string value, string cell)
    {
        var written = CsvCells.Neutralise(value);

        Assert.Equal(cell, written);
        Assert.Equal(value, CsvCells.Restore(written));
    }

    [Fact]
    public async Task Negative_amounts_and_balances_are_written_as_plain_numbers_a_spreadsheet_can_sum()
    {
        var events = History();

        var export = await ExportAsync(ExportFormat.Csv, events);
        var rows = RfcCsv.Parse(export.Bytes).Skip(1).ToList();

        var rent = rows.Single(r => r.Cell("stream_revision") == "2");
        Assert.Equal("-250.50", rent.Cell("amount"));
        var fee = rows.Single(r => r.Cell("stream_revision") == "7");
        Assert.Equal("-50", fee.Cell("amount"));
        var overdraft = rows.Single(r => r.Cell("stream_revision") == "12");
        Assert.Equal("-2000", overdraft.Cell("amount"));
        Assert.Matches(@"\A-[0-9]+(\.[0-9]+)?\z", overdraft.Cell("balance_after"));
        Assert.True(Verify(export.Bytes).IsValid);
    }

    [Fact]
    public async Task The_file_is_RFC4180_UTF8_with_a_BOM_CRLF_line_ends_every_cell_quoted_and_quotes_doubled()
    {
        var export = await ExportAsync(ExportFormat.Csv, [.. History(), .. Injected().Skip(1).Select((e, i) => e with { Revision = 13 + i, Position = 14 + i })]);
        var bytes = export.Bytes;

        Assert.Equal(RfcCsv.Bom, bytes[..3]);
        _ = StrictUtf8.GetString(bytes); // throws if not UTF-8
        var records = RfcCsv.Parse(bytes); // throws on a lone quote, an unquoted quote or a record not ended by CRLF
        Assert.Equal(ExportColumns.All, records[0].Cells);
        Assert.All(records, r => Assert.Equal(ExportColumns.All.Count, r.Cells.Length));
        Assert.All(records, r => Assert.All(r.Quoted, Assert.True));
        Assert.Equal(RfcCsv.Write(records.Select(r => r.Cells)), bytes); // nothing but the canonical RFC 4180 form
        Assert.Equal(export.Rows + 1, records.Count);
        Assert.EndsWith("\r\n", export.Text, StringComparison.Ordinal);

        // Outside quoted cells, every line break is a CRLF.
        var quoted = false;
        var text = export.Text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (!quoted && text[i] == '\n')
                Assert.Equal('\r', text[i - 1]);
            else if (!quoted && text[i] == '\r')
                Assert.Equal('\n', text[i + 1]);
        }
    }
}
