using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Replay;
using AuditDashboard.Core.Signing;
using PdfSharp.Pdf.IO;
using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Adapters.Tests.Export.Pdf;

public sealed class PdfExportTests : IDisposable
{
    private const string PopplerHint = "install poppler-utils (apt-get install poppler-utils), which the PDF export tests use to render and read pages";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    // What the composition root does at start.
    private static readonly PdfFonts Fonts = PdfFonts.Install(new SystemFontFiles());

    private readonly string _folder = Directory.CreateTempSubdirectory("audit-pdf-export-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void MaxEvents_IsTheCapCallersApply() => Assert.Equal(20_000, PdfExportWriter.MaxEvents);

    [Fact]
    public async Task ManyEvents_MakeAReportThatReopensSpansPagesAndRenders()
    {
        var header = Header(ExportRange.All);
        var entries = History(300);
        var path = Path.Combine(_folder, "timeline.pdf");

        var (summary, rows) = await ExportAsync(header, entries, path);

        Assert.Equal(300, summary.Count);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        int pages;
        using (var stream = new MemoryStream(bytes))
        using (var document = PdfReader.Open(stream, PdfDocumentOpenMode.Import))
            pages = document.PageCount;
        Assert.True(pages > 2, $"300 events should span several pages, but the PDF has {pages}.");

        var pdftoppm = RequireTool("pdftoppm");
        Assert.True(await DarkFractionAsync(pdftoppm, path, 1) > 0.005, "Page 1 (the cover) renders blank.");
        Assert.True(await DarkFractionAsync(pdftoppm, path, 2) > 0.005, "Page 2 (the first table page) renders blank.");

        var pdftotext = RequireTool("pdftotext");
        var cover = await TextOfAsync(pdftotext, path, 1);
        Assert.Contains("Account timeline export", cover, StringComparison.Ordinal);
        Assert.Contains("ACC-1", cover, StringComparison.Ordinal);
        Assert.Contains("As recorded", cover, StringComparison.Ordinal);
        Assert.Contains("All time", cover, StringComparison.Ordinal);
        Assert.Contains("auditor:zoe", cover, StringComparison.Ordinal);
        Assert.Contains(header.ExportId.ToString("D"), cover, StringComparison.Ordinal);
        Assert.Contains("300 events", cover, StringComparison.Ordinal);
        Assert.Contains(summary.Digest, cover, StringComparison.Ordinal);
        Assert.Contains("verify-export", cover, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"page 1 of {pages}"), cover, StringComparison.Ordinal);

        // The first table page: markup and formulas shown as the text they are, the unknown type flagged, every hash in full.
        var table = await TextOfAsync(pdftotext, path, 2);
        Assert.Contains("<b>x</b>", table, StringComparison.Ordinal);
        Assert.Contains("=HYPERLINK(\"evil\")", table, StringComparison.Ordinal);
        Assert.Contains("LoyaltyPointsGranted", table, StringComparison.Ordinal);
        Assert.Contains(nameof(EntryWarning.UnknownType), table, StringComparison.Ordinal);
        Assert.Contains("…", table, StringComparison.Ordinal);
        Assert.Contains("Recorded (UTC)", table, StringComparison.Ordinal);
        Assert.Contains("2026-03-01 09:01:00", table, StringComparison.Ordinal);
        Assert.Contains(rows[1].Hash, table, StringComparison.Ordinal);
        Assert.Contains(rows[2].Hash, table, StringComparison.Ordinal);

        var last = await TextOfAsync(pdftotext, path, pages);
        Assert.Contains("Final state", last, StringComparison.Ordinal);
        Assert.Contains(summary.Digest, last, StringComparison.Ordinal);
        Assert.Contains(rows[^2].Hash, await TextOfAsync(pdftotext, path, pages - 1) + last, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"page {pages} of {pages}"), last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyRange_StillMakesAValidReportWhoseCoverSaysNoEvents()
    {
        var range = new ExportRange(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 31, 0, 0, 0, TimeSpan.Zero));
        var header = Header(range);
        var path = Path.Combine(_folder, "empty.pdf");

        var (summary, _) = await ExportAsync(header, History(5), path);

        Assert.Equal(0, summary.Count);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        using (var stream = new MemoryStream(bytes))
        using (var document = PdfReader.Open(stream, PdfDocumentOpenMode.Import))
            Assert.True(document.PageCount >= 1);

        Assert.True(await DarkFractionAsync(RequireTool("pdftoppm"), path, 1) > 0.005, "Page 1 (the cover) renders blank.");

        var cover = await TextOfAsync(RequireTool("pdftotext"), path, 1);
        Assert.Contains("0 events", cover, StringComparison.Ordinal);
        Assert.Contains("No events in this range.", await TextOfAsync(RequireTool("pdftotext"), path, 2), StringComparison.Ordinal);
        Assert.Contains("2020-01-01 00:00:00 to 2020-01-31 00:00:00 UTC", cover, StringComparison.Ordinal);
        Assert.Contains(summary.Digest, cover, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedReport_CarriesItsRowsAsAnAttachedNdjsonFile_ThatVerifiesAsAuthentic_AndShowsTheSignatureOnTheCover()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var header = Header(ExportRange.All);
        var path = Path.Combine(_folder, "signed.pdf");

        ExportSummary summary;
        await using (var file = File.Create(path))
        await using (var writer = new PdfExportWriter(file, header, RequireFonts()))
            summary = await TimelineExport.WriteAsync(header, Entries(History(40)), writer, keys, cancellationToken: TestContext.Current.CancellationToken);

        PdfExportAttachment attachment;
        await using (var file = File.OpenRead(path))
            attachment = PdfExportAttachment.Read(file);
        Assert.Equal("ACC-1_recorded_20261127T201240Z.ndjson", attachment.Name);
        var result = ExportVerifier.Verify(new MemoryStream(attachment.Bytes));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal((40L, summary.Digest), (result.Count!.Value, result.Digest));
        Assert.Equal(AuthenticityStatus.Authentic, ExportAuthenticity.Check(result, keys.Published).Status);

        var cover = await TextOfAsync(RequireTool("pdftotext"), path, 1);
        Assert.Contains(keys.Current.KeyId, cover, StringComparison.Ordinal);
        Assert.Contains(summary.Signature!.Value, cover, StringComparison.Ordinal);
        Assert.Contains(attachment.Name, cover, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachment_OfAPdfThatCarriesNone_IsRefusedWithAClearMessage()
    {
        using var pdf = new MemoryStream();
        using (var document = new PdfSharp.Pdf.PdfDocument())
        {
            document.AddPage();
            document.Save(pdf, closeStream: false);
        }

        pdf.Position = 0;
        var refused = Assert.Throws<InvalidDataException>(() => PdfExportAttachment.Read(pdf));
        var garbage = Assert.Throws<InvalidDataException>(() => PdfExportAttachment.Read(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.7\ncut here"))));

        Assert.Contains("no attached file", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a PDF that can be read", garbage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_LeavesTheOutputOpen()
    {
        using var output = new MemoryStream();
        var header = Header(ExportRange.All);
        await using (var writer = new PdfExportWriter(output, header, RequireFonts()))
            await TimelineExport.WriteAsync(header, Entries(History(3)), writer, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(output.CanWrite, "The writer closed the output stream.");
        Assert.True(output.Length > 1000);
    }

    private static ExportHeader Header(ExportRange range) =>
        new(Guid.NewGuid(), "ACC-1", ReplayView.Recorded, range, ExportFormat.Pdf, "auditor:zoe", new DateTimeOffset(2026, 11, 27, 20, 12, 40, TimeSpan.Zero));

    /// <summary>An account's history of <paramref name="count"/> events with the awkward ones early, so they land on page 2.</summary>
    private static List<TimelineEntry> History(int count)
    {
        var events = new List<RecordedEvent> { Recorded(0, new AccountOpened("ACC-1", "Ana Lima", "EUR")) };
        for (var revision = 1L; revision < count; revision++)
        {
            events.Add(revision switch
            {
                2 => Recorded(revision, new FundsDeposited(1_000m, "EUR", null), Meta(reason: "Opening deposit " + new string('x', 40) + " and much more text than fits the column")),
                3 => Recorded(revision, new FundsWithdrawn(12.5m, "EUR", null), Meta(reason: "<b>x</b> =HYPERLINK(\"evil\")")),
                4 => Raw(revision, "LoyaltyPointsGranted", """{"points":40}"""),
                5 => Recorded(revision, new FundsDeposited(3m, "EUR", null), Meta(actor: "=cmd|' /C calc'!A0", reason: "Emoji 😀, 中文, RTL \u202Eevil\u202C, NUL \0, tab\tand\nnewline")),
                _ when revision % 3 == 0 => Recorded(revision, new FundsWithdrawn(7.25m, "EUR", null), Meta(reason: "Card payment")),
                _ => Recorded(revision, new FundsDeposited(20m, "EUR", null), Meta(reason: "Salary")),
            });
        }

        return Fold([.. events]);
    }

    private static IAsyncEnumerable<ExportEntry> Entries(List<TimelineEntry> entries) =>
        entries.Select(entry => new ExportEntry(entry, entry.StateAfter)).ToAsyncEnumerable();

    private static async Task<(ExportSummary Summary, List<ExportRow> Rows)> ExportAsync(ExportHeader header, List<TimelineEntry> entries, string path)
    {
        var rows = new RowCollector();
        await TimelineExport.WriteAsync(header, Entries(entries), rows, cancellationToken: TestContext.Current.CancellationToken);

        await using var file = File.Create(path);
        await using var writer = new PdfExportWriter(file, header, RequireFonts());
        var summary = await TimelineExport.WriteAsync(header, Entries(entries), writer, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(rows.Rows[^1].Hash, summary.Digest);
        return (summary, rows.Rows);
    }

    /// <summary>Renders page <paramref name="page"/> in grey at 40 dpi and returns the fraction of its pixels darker than mid-grey.</summary>
    private async Task<double> DarkFractionAsync(string pdftoppm, string pdf, int page)
    {
        var pageText = page.ToString(CultureInfo.InvariantCulture);
        var prefix = Path.Combine(_folder, "page" + pageText);
        await RunAsync(pdftoppm, "-r", "40", "-gray", "-f", pageText, "-l", pageText, pdf, prefix);
        var image = Assert.Single(Directory.GetFiles(_folder, $"page{pageText}*.pgm"));
        var (width, height, maxValue, pixels) = Pgm.Read(await File.ReadAllBytesAsync(image, TestContext.Current.CancellationToken));
        Assert.True(width > 100 && height > 100, $"The rendered page is {width}×{height}.");
        var dark = pixels.Count(value => value < (maxValue + 1) / 2);
        return (double)dark / pixels.Length;
    }

    private static async Task<string> TextOfAsync(string pdftotext, string pdf, int page)
    {
        var pageText = page.ToString(CultureInfo.InvariantCulture);
        return await RunAsync(pdftotext, "-enc", "UTF-8", "-f", pageText, "-l", pageText, pdf, "-");
    }

    /// <summary>
    /// The export fonts, read now so that a machine without them fails the test (never skips it) naming the package to
    /// install, as the browser tests fail without Chromium: a skipped test would let an unchecked PDF pass anywhere.
    /// </summary>
    private static PdfFonts RequireFonts()
    {
        try
        {
            _ = new SystemFontFiles().Load();
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail(e.Message);
        }

        return Fonts;
    }

    /// <summary>The full path of a poppler-utils tool; fails (never skips) when it is missing, on CI and everywhere else.</summary>
    private static string RequireTool(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin");
        var path = folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Fail($"{name} was not found: {PopplerHint}.");
        return path;
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ToolTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(tool)} did not finish within {ToolTimeout.TotalSeconds:0} s.");
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(tool)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return text;
    }

    private sealed class RowCollector : ExportWriter
    {
        public List<ExportRow> Rows { get; } = [];

        public override ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
        {
            Rows.Add(row);
            return ValueTask.CompletedTask;
        }

        public override ValueTask CompleteAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    /// <summary>Binary PGM (P5): the header's tokens separated by whitespace, with # comments to the end of a line, then the samples.</summary>
    private static class Pgm
    {
        public static (int Width, int Height, int MaxValue, int[] Pixels) Read(byte[] bytes)
        {
            var position = 0;
            var magic = Token(bytes, ref position);
            Assert.Equal("P5", magic);
            var width = int.Parse(Token(bytes, ref position), CultureInfo.InvariantCulture);
            var height = int.Parse(Token(bytes, ref position), CultureInfo.InvariantCulture);
            var maxValue = int.Parse(Token(bytes, ref position), CultureInfo.InvariantCulture);
            Assert.InRange(maxValue, 1, 65535);
            position++; // exactly one whitespace byte ends the header

            var sampleSize = maxValue < 256 ? 1 : 2;
            var count = checked(width * height);
            Assert.True(bytes.Length - position >= count * sampleSize, $"The PGM holds {bytes.Length - position} bytes of samples, not {count * sampleSize}.");
            var pixels = new int[count];
            for (var i = 0; i < count; i++)
            {
                pixels[i] = sampleSize == 1
                    ? bytes[position + i]
                    : (bytes[position + (2 * i)] << 8) | bytes[position + (2 * i) + 1];
            }

            return (width, height, maxValue, pixels);
        }

        private static string Token(byte[] bytes, ref int position)
        {
            while (position < bytes.Length)
            {
                if (bytes[position] == (byte)'#')
                {
                    while (position < bytes.Length && bytes[position] is not ((byte)'\n' or (byte)'\r'))
                        position++;
                }
                else if (IsSpace(bytes[position]))
                {
                    position++;
                }
                else
                {
                    break;
                }
            }

            var start = position;
            while (position < bytes.Length && !IsSpace(bytes[position]) && bytes[position] != (byte)'#')
                position++;
            Assert.True(position > start, "The PGM header ends early.");
            return Encoding.ASCII.GetString(bytes, start, position - start);
        }

        private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
    }
}
