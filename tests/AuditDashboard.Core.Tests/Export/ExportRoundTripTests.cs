using System.Text.Json;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

public sealed class ExportRoundTripTests
{
    public static TheoryData<ExportFormat> Formats => [ExportFormat.Csv, ExportFormat.Ndjson];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_realistic_history_exports_and_verifies_with_the_summarys_count_and_digest(ExportFormat format)
    {
        var history = History();

        var export = await ExportAsync(format, history);
        var result = Verify(export.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(history.Length, export.Summary.Count);
        Assert.Equal(history.Length, result.Count);
        Assert.Equal(export.Summary.Digest, result.Digest);
        Assert.Matches("^[0-9a-f]{64}$", result.Digest!);
        Assert.Contains(result.Digest!, result.Message, StringComparison.Ordinal);
        Assert.Null(result.FailedRow);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_row_reads_back_with_the_fields_of_its_event_and_the_balance_after_it(ExportFormat format)
    {
        var history = History();
        var entries = Events.Fold(history);

        var rows = (await ExportAsync(format, history)).Cells();

        Assert.Equal(history.Length + 2, rows.Count);
        Assert.Equal("0", rows[0][0]);
        Assert.Equal("export", rows[0][1]);
        Assert.All(rows[0][2..ExportColumns.Data], field => Assert.Equal("", field));
        for (var i = 0; i < history.Length; i++)
        {
            var row = rows[i + 1];
            var entry = entries[i];
            Assert.Equal(RfcCsv.Number(i + 1), row[0]);
            Assert.Equal("event", row[1]);
            Assert.Equal(RfcCsv.Number(entry.Record.Position), row[2]);
            Assert.Equal(RfcCsv.Number(entry.Revision), row[3]);
            Assert.Equal(ExportText.Time(entry.Recorded), row[4]);
            Assert.Equal(ExportText.Time(entry.EffectiveAt), row[5]);
            Assert.Equal(entry.EventType, row[6]);
            Assert.Equal(entry.Record.EventId.ToString(), row[7]);
            Assert.Equal(entry.Metadata?.Actor ?? "", row[8]);
            Assert.Equal(entry.Metadata?.Reason ?? "", row[9]);
            Assert.Equal(ExportText.Number(entry.Amount), row[13]);
            Assert.Equal(ExportText.Number(entry.StateAfter.Balance), row[15]);
            Assert.Equal(ExportText.Payload(entry.Record.Data), row[ExportColumns.Data]);
        }

        Assert.Equal(RfcCsv.Number(history.Length + 1), rows[^1][0]);
        Assert.Equal("end", rows[^1][1]);
        using var end = JsonDocument.Parse(rows[^1][ExportColumns.Data]);
        Assert.Equal(history.Length, end.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(12, end.RootElement.GetProperty("lastRevision").GetInt64());
        Assert.Equal(ExportText.Number(entries[^1].StateAfter.Balance), end.RootElement.GetProperty("balance").GetString());
        Assert.Equal("-456.67", end.RootElement.GetProperty("balance").GetString());
        Assert.Equal("EUR", end.RootElement.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task The_hard_reasons_survive_both_formats_exactly()
    {
        var history = History();

        var csv = (await ExportAsync(ExportFormat.Csv, history)).Cells();
        var ndjson = (await ExportAsync(ExportFormat.Ndjson, history)).Cells();

        string[] reasons =
        [
            "Salary, March, 2026", "Rent \"March\" paid, flat 3\"B", "line one\r\nline two\nline three\rend",
            "tab\there, a backslash \\ and C:\\new\\table\\", "Überweisung für Café ☕ — 日本語 🎉 ½ \u00A0 \u200B",
            "<script>alert('x')</script> & <b>bold</b>",
        ];
        foreach (var reason in reasons)
        {
            Assert.Contains(csv, row => row[9] == reason);
            Assert.Contains(ndjson, row => row[9] == reason);
        }
    }

    [Fact]
    public async Task The_CSV_and_the_NDJSON_of_the_same_header_and_entries_have_the_same_hashes()
    {
        var history = History();
        var header = Header(ExportFormat.Csv);

        var csv = await ExportAsync(ExportFormat.Csv, history, header);
        var ndjson = await ExportAsync(ExportFormat.Ndjson, history, header);

        Assert.Equal(csv.Summary, ndjson.Summary);
        Assert.Equal(csv.Cells(), ndjson.Cells());
        Assert.Equal(Verify(csv.Bytes).Digest, Verify(ndjson.Bytes).Digest);
        Assert.NotEqual(csv.Bytes, ndjson.Bytes);
    }

    [Fact]
    public async Task The_header_is_part_of_the_chain_so_another_format_or_exporter_gives_another_digest()
    {
        var history = History();

        var csv = await ExportAsync(ExportFormat.Csv, history);
        var ndjson = await ExportAsync(ExportFormat.Ndjson, history);
        var otherAuditor = await ExportAsync(ExportFormat.Csv, history, Header() with { ExportedBy = "auditor:eve" });

        Assert.NotEqual(csv.Summary.Digest, ndjson.Summary.Digest);
        Assert.NotEqual(csv.Summary.Digest, otherAuditor.Summary.Digest);
        Assert.Equal(csv.Cells().Skip(1).Select(r => r[..^1]), ndjson.Cells().Skip(1).Select(r => r[..^1]));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_hash_is_the_documented_SHA256_of_the_previous_hash_and_the_escaped_fields(ExportFormat format)
    {
        var export = await ExportAsync(format, History());

        var previous = new string('0', 64);
        foreach (var row in export.Cells())
        {
            Assert.Equal(ExpectedHash(previous, row[..^1]), row[^1]);
            previous = row[^1];
        }

        Assert.Equal(export.Summary.Digest, previous);
    }

    [Fact]
    public void The_canonical_form_escapes_so_that_different_fields_never_hash_alike()
    {
        // A tab inside a field must not read as a field separator, nor a written "\t" as a tab.
        var a = ExportChain.Compute(ExportChain.Genesis, ["a\tb", "c"]);
        var b = ExportChain.Compute(ExportChain.Genesis, ["a", "b\tc"]);
        var c = ExportChain.Compute(ExportChain.Genesis, ["a\\tb", "c"]);
        var d = ExportChain.Compute(ExportChain.Genesis, ["a\r\nb", "c"]);
        var e = ExportChain.Compute(ExportChain.Genesis, ["a\\r\\nb", "c"]);

        Assert.Equal(5, new[] { a, b, c, d, e }.Distinct().Count());
        Assert.Equal(ExpectedHash(ExportChain.Genesis, ["a\tb", "c"]), a);
        Assert.Equal(ExpectedHash(ExportChain.Genesis, ["a\\r\\nb", "c"]), e);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task An_account_with_no_events_exports_the_header_and_an_end_row_counting_zero(ExportFormat format)
    {
        var export = await ExportAsync(format, []);
        var result = Verify(export.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.Count);
        Assert.Equal(2, export.Rows);
        Assert.Equal("""{"count":0}""", export.Cells()[1][ExportColumns.Data]);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task The_header_row_says_who_exported_which_account_range_and_view_and_when(ExportFormat format)
    {
        var range = new ExportRange(Events.T0, Events.T0.AddDays(1));
        var export = await ExportAsync(format, History(), Header(format, range, ReplayView.Corrected), ReplayView.Corrected);

        using var header = JsonDocument.Parse(export.Cells()[0][ExportColumns.Data]);
        var root = header.RootElement;
        Assert.Equal(ExportHeader.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(Header().ExportId, root.GetProperty("exportId").GetGuid());
        Assert.Equal(Account, root.GetProperty("account").GetString());
        Assert.Equal("corrected", root.GetProperty("view").GetString());
        Assert.Equal("2026-03-01T09:00:00.0000000Z", root.GetProperty("from").GetString());
        Assert.Equal("2026-03-02T09:00:00.0000000Z", root.GetProperty("to").GetString());
        Assert.Equal(format.Extension(), root.GetProperty("format").GetString());
        Assert.Equal("auditor:eva", root.GetProperty("exportedBy").GetString());
        Assert.Equal("2026-11-27T20:12:40.0000000Z", root.GetProperty("exportedAt").GetString());
    }

    [Fact]
    public async Task The_NDJSON_has_one_object_a_line_with_numbers_nulls_and_strings_as_documented()
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());

        Assert.False(export.Bytes.AsSpan().StartsWith(RfcCsv.Bom));
        Assert.DoesNotContain((byte)'\r', export.Bytes);
        var lines = export.Text.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal(History().Length + 2, lines.Length - 1);
        using var row = JsonDocument.Parse(lines[3]);
        var names = row.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(ExportColumns.All, names);
        Assert.Equal(JsonValueKind.Number, row.RootElement.GetProperty("row").ValueKind);
        Assert.Equal(JsonValueKind.Number, row.RootElement.GetProperty("global_position").ValueKind);
        Assert.Equal(JsonValueKind.Number, row.RootElement.GetProperty("stream_revision").ValueKind);
        Assert.Equal("-250.50", row.RootElement.GetProperty("amount").GetString());
        Assert.Equal(JsonValueKind.Null, row.RootElement.GetProperty("approved_by").ValueKind);
        Assert.Equal(JsonValueKind.String, row.RootElement.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Writing_reports_progress_and_the_digest_does_not_depend_on_the_output()
    {
        var history = History();
        var seen = new List<long>();

        using var output = new MemoryStream();
        ExportSummary summary;
        await using (var writer = new CsvExportWriter(output))
            summary = await TimelineExport.WriteAsync(Header(), Entries(history), writer, new SynchronousProgress(seen), cancellationToken: TestContext.Current.CancellationToken);
        ExportSummary discarded;
        await using (var writer = new CsvExportWriter(Stream.Null))
            discarded = await TimelineExport.WriteAsync(Header(), Entries(history), writer, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(1, history.Length).Select(i => (long)i), seen);
        Assert.Equal(summary, discarded);
        Assert.Equal(summary, Verify(output.ToArray()) is { IsValid: true } r ? new ExportSummary(r.Count!.Value, r.Digest!) : null);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task The_digest_is_handed_over_before_the_end_row_and_a_failed_hand_over_leaves_a_file_that_never_verifies(ExportFormat format)
    {
        var history = History();
        var expected = (await ExportAsync(format, history)).Summary;
        ExportSummary? handed = null;

        using var output = new MemoryStream();
        await using (var writer = Writer(format, output))
        {
            await Assert.ThrowsAsync<IOException>(() => TimelineExport.WriteAsync(Header(format), Entries(history), writer, beforeEnd: (summary, _) =>
            {
                handed = summary;
                throw new IOException("the access log is unavailable");
            }, cancellationToken: TestContext.Current.CancellationToken));
            await writer.CompleteAsync(TestContext.Current.CancellationToken); // flush what was written, as a careless caller might
        }

        var result = Verify(output.ToArray());
        Assert.Equal(expected, handed);
        Assert.False(result.IsValid);
        Assert.Contains("truncated", result.Message, StringComparison.Ordinal);
        Assert.Equal(history.Length + 1, result.FailedRow);
    }

    private sealed class SynchronousProgress(List<long> seen) : IProgress<long>
    {
        public void Report(long value) => seen.Add(value);
    }
}
