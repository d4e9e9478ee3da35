using FsCheck.Xunit;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>Files that are not exports, or not any more: invalid with a message that says why, and never an exception.</summary>
public sealed class ExportVerifierInputTests
{
    private static void AssertInvalid(VerificationResult result, string because)
    {
        Assert.False(result.IsValid);
        Assert.Contains(because, result.Message, StringComparison.Ordinal);
        Assert.Null(result.Count);
        Assert.Null(result.Digest);
    }

    [Fact]
    public void An_empty_file_is_not_an_export() => AssertInvalid(Verify([]), "empty");

    [Fact]
    public void A_byte_order_mark_alone_is_an_empty_file() => AssertInvalid(Verify(RfcCsv.Bom), "empty");

    [Theory]
    [InlineData(" ")]
    [InlineData("   \t  ")]
    [InlineData("\r\n\r\n")]
    [InlineData("\n")]
    [InlineData(" \r\n \n\t")]
    public void Whitespace_is_not_an_export(string text) => AssertInvalid(Verify(text), "not");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_bytes_are_not_an_export(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);

        var result = Verify(bytes);

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x22, 0x00, 0x72, 0x00 })] // a UTF-16 byte-order mark: not read as UTF-16
    [InlineData(new byte[] { 0x22, 0x72, 0x6F, 0x77, 0xFF, 0x22 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    public void Bytes_that_are_not_UTF8_are_not_an_export(byte[] bytes) => AssertInvalid(Verify(bytes), "not UTF-8");

    [Theory]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")]
    [InlineData("%PDF-")]
    public void A_PDF_is_sent_to_the_CSV_or_NDJSON(string text) => AssertInvalid(Verify(text), "PDF");

    [Fact]
    public void A_real_PDF_header_with_binary_bytes_is_recognised()
    {
        byte[] bytes = [.. "%PDF-1.7\n%"u8, 0xE2, 0xE3, 0xCF, 0xD3, .. "\n1 0 obj\n"u8];

        AssertInvalid(Verify(bytes), "PDF");
    }

    [Fact]
    public async Task A_CSV_whose_column_header_is_wrong_is_not_an_export()
    {
        var export = await ExportAsync(ExportFormat.Csv, History());
        var records = RfcCsv.Parse(export.Bytes);

        var renamed = records.Select(r => r.Cells).ToList();
        renamed[0] = [.. renamed[0].Select(c => c == "reason" ? "Reason" : c)];
        var reordered = records.Select(r => r.Cells).ToList();
        reordered[0] = [.. reordered[0].Reverse()];
        var missing = records.Select(r => r.Cells).ToList();
        missing[0] = [.. missing[0].SkipLast(1)];

        foreach (var cells in new[] { renamed, reordered, missing, records.Skip(1).Select(r => r.Cells).ToList() })
        {
            var result = Verify(RfcCsv.Write(cells));
            AssertInvalid(result, "column header");
            Assert.Null(result.FailedRow);
            Assert.Equal(1, result.Line);
        }
    }

    [Fact]
    public void A_plain_spreadsheet_CSV_is_not_an_export() =>
        AssertInvalid(Verify("\uFEFFdate,amount,reason\r\n2026-03-01,10,coffee\r\n"), "column header");

    [Fact]
    public void A_CSV_with_only_the_column_header_holds_no_rows() =>
        AssertInvalid(Verify(RfcCsv.Write([ExportColumns.All])), "no rows");

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Ndjson)]
    public async Task A_file_with_only_the_header_row_is_truncated(ExportFormat format)
    {
        var export = await ExportAsync(format, History());

        var result = Verify(export.WithRows([0]));

        AssertInvalid(result, "truncated");
        Assert.Equal(1, result.FailedRow);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("{\"row\":0", "not valid JSON")]
    [InlineData("{\"row\":0}", "has no 'kind'")]
    [InlineData("{} ", "has no 'row'")]
    [InlineData("{\"a\":1} {\"b\":2}", "not valid JSON")]
    [InlineData("{\"row\":0} // comment", "not valid JSON")]
    public void An_NDJSON_first_line_that_is_not_an_export_row_is_named(string line, string because)
    {
        var result = Verify(line + "\n");

        AssertInvalid(result, because);
        Assert.Equal(0, result.FailedRow);
        Assert.Equal(1, result.Line);
    }

    [Theory]
    [InlineData("[1,2,3]", "not a JSON object")]
    [InlineData("42", "not a JSON object")]
    [InlineData("\"row\"", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("{\"row\":1}", "has no 'kind'")]
    public async Task An_NDJSON_line_that_is_not_an_object_or_lacks_a_key_is_named(string line, string because)
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        lines[3] = line;

        var result = Verify(string.Join('\n', lines));

        AssertInvalid(result, because);
        Assert.Equal(3, result.FailedRow);
        Assert.Equal(4, result.Line);
    }

    [Theory]
    [InlineData("actor")]
    [InlineData("hash")]
    [InlineData("row")]
    [InlineData("data")]
    public async Task An_NDJSON_row_missing_any_key_is_named(string key)
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        var json = System.Text.Json.Nodes.JsonNode.Parse(lines[2])!.AsObject();
        json.Remove(key);
        lines[2] = json.ToJsonString();

        var result = Verify(string.Join('\n', lines));

        AssertInvalid(result, $"has no '{key}'");
        Assert.Equal(2, result.FailedRow);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("[\"x\"]")]
    [InlineData("{\"x\":1}")]
    public async Task An_NDJSON_value_that_is_not_text_a_number_or_null_is_named(string value)
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        lines[2] = lines[2].Replace("\"flag\":null", $"\"flag\":{value}", StringComparison.Ordinal);

        var result = Verify(string.Join('\n', lines));

        AssertInvalid(result, "neither text, a number nor null");
        Assert.Equal(2, result.FailedRow);
    }

    [Fact]
    public async Task An_NDJSON_key_given_twice_is_refused_whichever_value_a_reader_would_take()
    {
        // Readers differ on which of two values they keep; an export must not let them disagree.
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        var before = (string[])lines.Clone();
        before[2] = before[2].Replace("\"reason\":", "\"reason\":\"Forged\",\"reason\":", StringComparison.Ordinal);
        var after = (string[])lines.Clone();
        after[2] = after[2].Replace("\"hash\":", "\"reason\":\"Forged\",\"hash\":", StringComparison.Ordinal);

        foreach (var tampered in new[] { before, after })
        {
            var result = Verify(string.Join('\n', tampered));
            Assert.False(result.IsValid);
            Assert.Equal(2, result.FailedRow);
        }
    }

    [Fact]
    public async Task An_NDJSON_row_with_a_key_that_is_not_a_column_is_refused()
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        lines[2] = lines[2].Replace("{\"row\"", "{\"note\":\"approved by the board\",\"row\"", StringComparison.Ordinal);

        var result = Verify(string.Join('\n', lines));

        AssertInvalid(result, "not export columns");
        Assert.Equal(2, result.FailedRow);
    }

    [Fact]
    public async Task An_NDJSON_escape_that_is_half_a_surrogate_pair_is_refused_not_thrown()
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());
        var lines = export.Text.Split('\n');
        lines[2] = lines[2].Replace("\"reason\":\"", "\"reason\":\"\\udf89", StringComparison.Ordinal);

        var result = Verify(string.Join('\n', lines));

        AssertInvalid(result, "not valid Unicode");
        Assert.Equal(2, result.FailedRow);
    }

    [Fact]
    public async Task Blank_lines_between_NDJSON_rows_change_nothing_the_chain_covers()
    {
        var export = await ExportAsync(ExportFormat.Ndjson, History());

        var result = Verify(export.Text.Replace("\n", "\n\n", StringComparison.Ordinal));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(export.Summary.Digest, result.Digest);
    }

    [Fact]
    public void Verify_leaves_nothing_to_chance_with_null()
    {
        Assert.Throws<ArgumentNullException>(() => ExportVerifier.Verify(null!));
    }

    [Property(MaxTest = 300)]
    public void Verify_never_throws_on_any_bytes(byte[] bytes) => Assert.False(Verified(bytes).IsValid);

    [Property(MaxTest = 500)]
    public bool Verify_never_throws_and_never_passes_an_export_with_bytes_overwritten(bool csv, int[] positions, byte[] values)
    {
        var original = csv ? Sample.Value.Csv : Sample.Value.Ndjson;
        var bytes = (byte[])original.Clone();
        for (var i = 0; i < Math.Min(positions.Length, values.Length); i++)
            bytes[(int)((uint)positions[i] % (uint)bytes.Length)] = values[i];

        var result = Verified(bytes);
        return bytes.AsSpan().SequenceEqual(original) ? result.IsValid : !result.IsValid || MaybeSameText(bytes, original);
    }

    [Fact]
    public async Task Verify_never_throws_on_an_export_cut_anywhere()
    {
        var csv = (await ExportAsync(ExportFormat.Csv, History())).Bytes;
        var ndjson = (await ExportAsync(ExportFormat.Ndjson, History())).Bytes;

        foreach (var bytes in new[] { csv, ndjson })
        {
            var lineEnd = bytes == csv ? 2 : 1;
            for (var cut = 0; cut < bytes.Length - lineEnd; cut++)
                Assert.False(Verified(bytes[..cut]).IsValid, $"cut at {cut}");
        }
    }

    private static readonly Lazy<(byte[] Csv, byte[] Ndjson)> Sample = new(() => Task.Run(async () =>
        ((await ExportAsync(ExportFormat.Csv, History())).Bytes, (await ExportAsync(ExportFormat.Ndjson, History())).Bytes)).GetAwaiter().GetResult());

    private static VerificationResult Verified(byte[] bytes)
    {
        var result = Verify(bytes);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Equal(result.IsValid, result.Digest is not null);
        return result;
    }

    /// <summary>
    /// Edits that may change no text the chain covers: a line end between rows turned into another or into whitespace
    /// (a CSV's CR to LF, an NDJSON's LF to CR, a space after the last object), and a hex letter of a JSON escape turned
    /// into the same letter in the other case (\uD83C or \ud83c).
    /// </summary>
    private static bool MaybeSameText(byte[] bytes, byte[] original)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var (now, was) = (bytes[i], original[i]);
            var lineEnd = was is (byte)'\r' or (byte)'\n' && now is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t';
            var hexCase = char.IsAsciiHexDigitUpper((char)was) && char.IsAsciiLetter((char)was) && now == char.ToLowerInvariant((char)was)
                || char.IsAsciiHexDigitLower((char)was) && char.IsAsciiLetter((char)was) && now == char.ToUpperInvariant((char)was);
            if (now != was && !lineEnd && !hexCase)
                return false;
        }

        return true;
    }
}
