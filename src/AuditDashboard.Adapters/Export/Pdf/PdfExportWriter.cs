using AuditDashboard.Core.Export;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static AuditDashboard.Adapters.Export.Pdf.PdfLayout;
using static AuditDashboard.Adapters.Export.Pdf.PdfReportText;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// A printable report of an export, A4 landscape: a cover with what was exported, the count, the final state and the final
/// digest; then the events as a table, each with its row's hash beneath, the column header repeated on every page; then the
/// final state and digest again. Every text is drawn as plain text, cut with "…" to fit its place. The rows themselves travel
/// with the report as an attached NDJSON file (the same rows, hashes and signature row), so <c>verify-export</c> can check a
/// PDF: see <see cref="PdfExportAttachment"/>. The cover shows the signature and its key id. An export's inclusion proofs
/// (<see cref="ExportProofs"/>) travel in the attachment only; the cover says in one line how many events carry proofs against
/// which seal, and the table shows the events alone.
/// </summary>
/// <remarks>
/// This class reads the rows and turns the pages; where things go is <see cref="PdfLayout"/>'s, how text fits its place
/// <see cref="PdfTextFitting"/>'s, and what is drawn <see cref="PdfDrawing"/>'s and <see cref="PdfCover"/>'s. PDFsharp holds
/// the whole document in memory until it is saved, in <see cref="CompleteAsync"/>: callers cap PDF exports at
/// <see cref="MaxEvents"/> events, and the writer refuses more. The output stream is written asynchronously and left open.
/// </remarks>
public sealed class PdfExportWriter : ExportWriter
{
    /// <summary>The most events a PDF export holds (the document is built in memory).</summary>
    public const int MaxEvents = ExportFormats.PdfMaxEvents;

    private readonly Stream _output;
    private readonly ExportHeader _header;
    private readonly PdfDocument _document;
    private readonly PdfPage _cover;
    private readonly PdfReportFonts _fonts;
    private readonly PdfDrawing _drawing;
    private readonly MemoryStream _attachment = new();
    private readonly NdjsonExportWriter _rows;

    private XGraphics? _graphics;
    private double _y;
    private long _events;
    private string _currency = "";
    private string? _headerHash;
    private ExportRow? _end;
    private ExportSignature? _signature;
    private LedgerSeal? _proofSeal;
    private long _proven;
    private long _notProven;
    private bool _completed;

    /// <summary>A report of the export <paramref name="header"/> names, drawn with <paramref name="fonts"/> (installed at start).</summary>
    public PdfExportWriter(Stream output, ExportHeader header, PdfFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(fonts);
        fonts.EnsureLoaded();
        _output = output;
        _header = header;
        _fonts = new PdfReportFonts();
        _drawing = new PdfDrawing(header, _fonts);
        _document = new PdfDocument();
        _document.Info.Title = PdfTextFitting.Plain(header.Search is null ? $"Account timeline export {header.AccountId}" : "Event search export");
        _document.Info.Subject = PdfTextFitting.Plain($"{ViewText(header.View)}, {RangeText(header.Range)}, export {header.ExportId:D}");
        _document.Info.Author = PdfTextFitting.Plain(header.ExportedBy);
        _document.Info.Creator = "Audit Dashboard";
        _cover = AddPage();
        _rows = new NdjsonExportWriter(_attachment);
    }

    /// <summary>The name of the attached NDJSON file: the export's file name with <c>.ndjson</c> for <c>.pdf</c>.</summary>
    public static string AttachmentName(ExportHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Path.ChangeExtension(header.FileName, ".ndjson");
    }

    public override async ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        cancellationToken.ThrowIfCancellationRequested();
        if (_completed)
            throw new InvalidOperationException("The PDF export is already complete.");
        await _rows.WriteRowAsync(row, cancellationToken);
        switch (row.Kind)
        {
            case ExportRowKinds.Export:
                _headerHash = row.Hash;
                break;
            case ExportRowKinds.Event:
                if (++_events > MaxEvents)
                    throw new InvalidOperationException($"A PDF export holds at most {MaxEvents:N0} events: export the range as CSV or NDJSON, or narrow it.");
                AddEvent(row);
                break;
            case ExportRowKinds.End:
                _end = row;
                break;
            case ExportRowKinds.Signature:
                _signature = ExportSignature.Parse(row[ExportColumns.Data]);
                break;
            case ExportRowKinds.Seal:
                _proofSeal = LedgerSeal.Parse(Encoding.UTF8.GetBytes(row[ExportColumns.Data]));
                break;
            case ExportRowKinds.Proof:
                if (row[ExportColumns.Data].StartsWith("{\"status\":\"" + ExportProofs.Included + "\"", StringComparison.Ordinal))
                    _proven++;
                else
                    _notProven++;
                break;
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
            throw new InvalidOperationException("The PDF export is already complete.");
        _completed = true;
        var final = PdfFinalState.Of(_end, _events);

        if (_graphics is null)
        {
            StartTablePage();
            _drawing.NoEvents(_graphics!, _y);
            _y += RowHeight;
        }

        if (!FinalStateFits(_y))
            StartTablePage(withColumns: false);
        _drawing.FinalState(_graphics!, final, _y + 14);
        _graphics!.Dispose();
        _graphics = null;

        using (var cover = XGraphics.FromPdfPage(_cover))
            new PdfCover(_header, _fonts).Draw(cover, new PdfCoverFacts(final, _headerHash, _signature, _proofSeal, _proven, _notProven));

        var pages = _document.PageCount;
        for (var i = 0; i < pages; i++)
        {
            using var page = XGraphics.FromPdfPage(_document.Pages[i]);
            _drawing.Footer(page, i + 1, pages);
        }

        // The rows as a file of their own inside the PDF: what verify-export checks, since drawn text cannot be verified.
        await _rows.CompleteAsync(cancellationToken);
        _attachment.Position = 0;
        _document.AddEmbeddedFile(AttachmentName(_header), _attachment);
        foreach (var (_, spec) in PdfExportAttachment.Attached(_document))
        {
            // PDFsharp stores an attachment as it is; deflated, 20,000 events of NDJSON take a few MB instead of some 15.
            PdfExportAttachment.StreamOf(spec)?.Zip();
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var buffer = new MemoryStream();
        _document.Save(buffer, closeStream: false);
        buffer.Position = 0;
        await buffer.CopyToAsync(_output, cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        _graphics?.Dispose();
        _graphics = null;
        _document.Dispose();
        await _rows.DisposeAsync();
        await _attachment.DisposeAsync();
        await base.DisposeAsync();
    }

    private PdfPage AddPage()
    {
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        return page;
    }

    private void StartTablePage(bool withColumns = true)
    {
        _graphics?.Dispose();
        _graphics = XGraphics.FromPdfPage(AddPage());
        _y = _drawing.TablePageHeading(_graphics, withColumns);
    }

    private void AddEvent(ExportRow row)
    {
        if (_graphics is null || !RowFits(_y))
            StartTablePage();
        _currency = CurrencyAfter(row, _currency);
        _drawing.EventRow(_graphics!, row, _y, striped: _events % 2 == 0, _currency);
        _y += RowHeight;
    }
}
