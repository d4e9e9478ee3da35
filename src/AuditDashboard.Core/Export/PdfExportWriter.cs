using System.Globalization;
using System.Text;
using System.Text.Json;
using AuditDashboard.Accounts;
using AuditDashboard.Replay;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace AuditDashboard.Export;

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
/// PDFsharp holds the whole document in memory until it is saved, in <see cref="CompleteAsync"/>: callers cap PDF exports
/// at <see cref="MaxEvents"/> events, and the writer refuses more. The output stream is written asynchronously and left open.
/// </remarks>
public sealed class PdfExportWriter : ExportWriter
{
    /// <summary>The most events a PDF export holds (the document is built in memory).</summary>
    public const int MaxEvents = 20_000;

    // A4 landscape, in points.
    private const double PageWidth = 841.89;
    private const double PageHeight = 595.28;
    private const double Margin = 32;
    private const double ContentWidth = PageWidth - (2 * Margin);
    private const double FooterTop = PageHeight - 30;
    private const double TableTop = 52;
    private const double ColumnHeaderHeight = 17;
    private const double RowHeight = 22;
    private const double CellPadding = 4;
    private const double FinalStateHeight = 104;

    private static readonly XColor Ink = XColor.FromArgb(27, 31, 36);
    private static readonly XColor Muted = XColor.FromArgb(95, 107, 122);
    private static readonly XColor Faint = XColor.FromArgb(134, 142, 152);
    private static readonly XColor Navy = XColor.FromArgb(31, 42, 68);
    private static readonly XColor NavyText = XColor.FromArgb(184, 196, 220);
    private static readonly XColor Rule = XColor.FromArgb(222, 226, 231);
    private static readonly XColor Zebra = XColor.FromArgb(247, 248, 250);
    private static readonly XColor Panel = XColor.FromArgb(242, 244, 247);
    private static readonly XColor FlagText = XColor.FromArgb(178, 34, 34);
    private static readonly XColor FlagFill = XColor.FromArgb(255, 243, 224);
    private static readonly XColor Credit = XColor.FromArgb(27, 110, 58);
    private static readonly XColor Debit = XColor.FromArgb(179, 38, 30);

    private static readonly Column[] Columns = BuildColumns();

    private readonly Stream _output;
    private readonly ExportHeader _header;
    private readonly PdfDocument _document;
    private readonly PdfPage _cover;
    private readonly Fonts _fonts;
    private readonly MemoryStream _attachment = new();
    private readonly NdjsonExportWriter _rows;

    private XGraphics? _graphics;
    private double _y;
    private long _events;
    private string _currency = "";
    private string? _headerHash;
    private ExportRow? _end;
    private ExportSignature? _signature;
    private Integrity.LedgerSeal? _proofSeal;
    private long _proven;
    private long _notProven;
    private bool _completed;

    public PdfExportWriter(Stream output, ExportHeader header)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        PdfFonts.EnsureRegistered();
        _output = output;
        _header = header;
        _fonts = new Fonts();
        _document = new PdfDocument();
        _document.Info.Title = Plain($"Account timeline export {header.AccountId}");
        _document.Info.Subject = Plain($"{ViewText(header.View)}, {RangeText(header.Range)}, export {header.ExportId:D}");
        _document.Info.Author = Plain(header.ExportedBy);
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
                DrawEvent(row);
                break;
            case ExportRowKinds.End:
                _end = row;
                break;
            case ExportRowKinds.Signature:
                _signature = ExportSignature.Parse(row[ExportColumns.Data]);
                break;
            case ExportRowKinds.Seal:
                _proofSeal = Integrity.LedgerSeal.Parse(Encoding.UTF8.GetBytes(row[ExportColumns.Data]));
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
        var final = FinalState.Of(_end, _events);

        if (_graphics is null)
        {
            StartTablePage();
            DrawText(_graphics!, "No events in this range.", _fonts.Body, Muted, Margin + CellPadding, _y + 14, ContentWidth);
            _y += RowHeight;
        }

        if (_y + FinalStateHeight > FooterTop - 8)
            StartTablePage(withColumns: false);
        DrawFinalState(_graphics!, final, _y + 14);
        _graphics!.Dispose();
        _graphics = null;

        using (var cover = XGraphics.FromPdfPage(_cover))
            DrawCover(cover, final);

        var pages = _document.PageCount;
        for (var i = 0; i < pages; i++)
        {
            using var page = XGraphics.FromPdfPage(_document.Pages[i]);
            DrawFooter(page, i + 1, pages);
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
        var g = _graphics = XGraphics.FromPdfPage(AddPage());

        var title = "Account timeline · " + _header.AccountId;
        DrawText(g, title, _fonts.PageTitle, Navy, Margin, 30, ContentWidth * 0.55);
        var context = $"{ViewText(_header.View)} · {RangeText(_header.Range)} · exported {Moment(_header.ExportedAt)} UTC";
        DrawText(g, context, _fonts.Small, Muted, Margin + (ContentWidth * 0.45), 30, ContentWidth * 0.55, alignRight: true);
        g.DrawLine(new XPen(Rule, 0.75), Margin, 38, PageWidth - Margin, 38);
        _y = TableTop;
        if (!withColumns)
            return;

        g.DrawRectangle(new XSolidBrush(Navy), Margin, _y, ContentWidth, ColumnHeaderHeight);
        foreach (var column in Columns)
            DrawText(g, column.Title, _fonts.ColumnHeader, XColors.White, column.X + CellPadding, _y + 11.5, column.Width - (2 * CellPadding), column.AlignRight);
        _y += ColumnHeaderHeight;
    }

    private void DrawEvent(ExportRow row)
    {
        if (_graphics is null || _y + RowHeight > FooterTop - 6)
            StartTablePage();
        var g = _graphics!;
        var top = _y;
        var flag = row[16];
        var flagged = flag.Length > 0;

        if (flagged)
        {
            g.DrawRectangle(new XSolidBrush(FlagFill), Margin, top, ContentWidth, RowHeight);
            g.DrawRectangle(new XSolidBrush(FlagText), Margin, top, 2.5, RowHeight);
        }
        else if (_events % 2 == 0)
        {
            g.DrawRectangle(new XSolidBrush(Zebra), Margin, top, ContentWidth, RowHeight);
        }

        if (!flagged && row[14].Length > 0)
            _currency = row[14];
        else if (!flagged && row[6] == AccountEventTypes.AccountOpened && CurrencyOf(row[ExportColumns.Data]) is { } opened)
            _currency = opened;

        var baseline = top + 10;
        var amount = Amount(row[13], row[14]);
        var cells = new[]
        {
            (Text: row[0], Color: Muted),
            (Text: Moment(row[4]), Color: Ink),
            (Text: row[3], Color: Ink),
            (Text: row[6], Color: Ink),
            (Text: amount, Color: flagged || amount.Length == 0 ? Ink : row[13].StartsWith('-') ? Debit : Credit),
            (Text: Amount(row[15], _currency, signed: false), Color: Ink),
            (Text: row[8], Color: Ink),
            (Text: row[9], Color: Ink),
            (Text: flag, Color: FlagText),
        };
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i];
            var font = i == Columns.Length - 1 ? _fonts.Flag : i == 3 ? _fonts.BodyBold : _fonts.Body;
            DrawText(g, cells[i].Text, font, cells[i].Color, column.X + CellPadding, baseline, column.Width - (2 * CellPadding), column.AlignRight);
        }

        var hashX = Columns[1].X + CellPadding;
        DrawText(g, "sha-256", _fonts.HashLabel, Faint, Columns[0].X + CellPadding, top + 18.5, Columns[0].Width - CellPadding);
        DrawText(g, row.Hash, _fonts.Hash, Faint, hashX, top + 18.5, PageWidth - Margin - hashX);
        g.DrawLine(new XPen(Rule, 0.5), Margin, top + RowHeight, PageWidth - Margin, top + RowHeight);
        _y += RowHeight;
    }

    private void DrawFinalState(XGraphics g, FinalState final, double top)
    {
        g.DrawRectangle(new XSolidBrush(Panel), Margin, top, ContentWidth, FinalStateHeight - 14);
        g.DrawRectangle(new XSolidBrush(Navy), Margin, top, 3, FinalStateHeight - 14);
        var x = Margin + 14;
        DrawText(g, "Final state", _fonts.Heading, Navy, x, top + 20, ContentWidth - 28);
        var summary = final.Count == 0
            ? "No events in this range."
            : $"{Count(final.Count)} · balance {final.BalanceText} · status {final.Status} · last revision {final.LastRevision}";
        DrawText(g, summary, _fonts.BodyLarge, Ink, x, top + 38, ContentWidth - 28);
        DrawText(g, "Final digest (SHA-256 of the end row, row " + final.EndRow + ")", _fonts.Label, Muted, x, top + 58, ContentWidth - 28);
        DrawText(g, final.Digest, _fonts.DigestSmall, Ink, x, top + 74, ContentWidth - 28);
    }

    private void DrawCover(XGraphics g, FinalState final)
    {
        const double band = 118;
        g.DrawRectangle(new XSolidBrush(Navy), 0, 0, PageWidth, band);
        DrawText(g, "AUDIT DASHBOARD · COMPLIANCE EXPORT", _fonts.Label, NavyText, Margin + 8, 34, ContentWidth);
        DrawText(g, "Account timeline export", _fonts.CoverTitle, XColors.White, Margin + 8, 68, ContentWidth);
        DrawText(g, _header.AccountId, _fonts.CoverSubtitle, NavyText, Margin + 8, 96, ContentWidth);

        // Left: what was exported. Right: the final state.
        var top = band + 36;
        var left = Margin + 8;
        var leftWidth = (ContentWidth * 0.56) - 8;
        DrawText(g, "Export details", _fonts.Heading, Navy, left, top, leftWidth);
        var details = new (string Label, string Value)[]
        {
            ("Account", _header.AccountId),
            ("View", ViewText(_header.View)),
            ("Range", RangeText(_header.Range)),
            ("Exported by", _header.ExportedBy),
            ("Exported at", Moment(_header.ExportedAt) + " UTC"),
            ("Export ID", _header.ExportId.ToString("D")),
            ("Events", Count(final.Count)),
            ("Header row hash", _headerHash ?? "—"),
        };
        var y = top + 24;
        foreach (var (label, value) in details)
        {
            DrawText(g, label, _fonts.Label, Muted, left, y, 100);
            var font = label == "Header row hash" ? _fonts.HashCover : _fonts.Value;
            DrawText(g, value, font, Ink, left + 104, y, leftWidth - 104);
            y += 19;
        }

        var right = Margin + (ContentWidth * 0.58);
        var rightWidth = PageWidth - Margin - right;
        g.DrawRectangle(new XSolidBrush(Panel), right, top - 18, rightWidth, 162);
        g.DrawRectangle(new XSolidBrush(Navy), right, top - 18, 3, 162);
        var rx = right + 16;
        var rw = rightWidth - 28;
        DrawText(g, "Final state", _fonts.Heading, Navy, rx, top, rw);
        DrawText(g, "Events", _fonts.Label, Muted, rx, top + 24, rw);
        DrawText(g, Number(final.Count), _fonts.BigNumber, Ink, rx, top + 48, rw);
        DrawText(g, "Balance", _fonts.Label, Muted, rx, top + 72, rw);
        DrawText(g, final.BalanceText, _fonts.BigNumber, Ink, rx, top + 96, rw);
        DrawText(g, "Status", _fonts.Label, Muted, rx, top + 118, rw / 2);
        DrawText(g, final.Status, _fonts.Value, Ink, rx, top + 134, (rw / 2) - 8);
        DrawText(g, "Last revision", _fonts.Label, Muted, rx + (rw / 2), top + 118, rw / 2);
        DrawText(g, final.LastRevision, _fonts.Value, Ink, rx + (rw / 2), top + 134, rw / 2);

        // The digest, full width.
        var digestTop = top + 176;
        g.DrawRectangle(new XSolidBrush(Panel), Margin, digestTop, ContentWidth, 58);
        g.DrawRectangle(new XSolidBrush(Navy), Margin, digestTop, 3, 58);
        DrawText(g, "Final digest (SHA-256 of the end row)", _fonts.Label, Muted, left + 8, digestTop + 18, ContentWidth - 24);
        DrawText(g, final.Digest, _fonts.Digest, Ink, left + 8, digestTop + 42, ContentWidth - 24);

        // The signature, full width: what makes the digest the dashboard's.
        var signatureTop = digestTop + 66;
        g.DrawRectangle(new XSolidBrush(Panel), Margin, signatureTop, ContentWidth, 58);
        g.DrawRectangle(new XSolidBrush(Navy), Margin, signatureTop, 3, 58);
        var signatureLabel = _signature is null
            ? "Signature: none (this export is not signed)"
            : $"Signature (ES256 over the header row's hash and the final digest) · key id {_signature.KeyId}";
        DrawText(g, signatureLabel, _fonts.Label, Muted, left + 8, signatureTop + 18, ContentWidth - 24);
        DrawText(g, _signature?.Value ?? "—", _fonts.DigestSmall, Ink, left + 8, signatureTop + 42, ContentWidth - 24);

        var how =
            "How to check it: every row's SHA-256 hash chains to the previous row's hash, and the end row's hash is the final " +
            $"digest above, which the access log records for export {_header.ExportId:D}. The rows travel inside this PDF as the " +
            $"attached file {AttachmentName(_header)}; run verify-export on this PDF with the dashboard's published keys " +
            "(GET /api/exports/keys) to check the chain and the signature. The pages are a rendering of those rows.";
        y = signatureTop + 80;
        foreach (var line in Wrap(g, how, _fonts.Body, ContentWidth - 16))
        {
            DrawText(g, line, _fonts.Body, Muted, left, y, ContentWidth - 16);
            y += 12;
        }

        if (_proofSeal is { } seal)
        {
            var proofs = string.Create(CultureInfo.InvariantCulture,
                $"Inclusion proofs: {Count(_proven)} carry a proof against ledger seal {seal.Number} ({Number(seal.TreeSize)} events, root {seal.RootHash}, sealed {Moment(seal.SealedAt)} UTC)");
            proofs += (_notProven == 0 ? "" : $"; {Count(_notProven)} without one (appended after that seal, or not matching it)") + ". The proofs travel in the attached file.";
            y += 6;
            foreach (var line in Wrap(g, proofs, _fonts.Body, ContentWidth - 16))
            {
                DrawText(g, line, _fonts.Body, Ink, left, y, ContentWidth - 16);
                y += 12;
            }
        }
    }

    private void DrawFooter(XGraphics g, int page, int pages)
    {
        g.DrawLine(new XPen(Rule, 0.75), Margin, FooterTop + 4, PageWidth - Margin, FooterTop + 4);
        var left = $"{_header.AccountId} · Account timeline export · {ViewText(_header.View)} · export {_header.ExportId:D}";
        var right = string.Create(CultureInfo.InvariantCulture, $"page {page} of {pages}");
        DrawText(g, left, _fonts.Small, Faint, Margin, FooterTop + 17, ContentWidth * 0.8);
        DrawText(g, right, _fonts.Small, Faint, Margin + (ContentWidth * 0.8), FooterTop + 17, ContentWidth * 0.2, alignRight: true);
    }

    /// <summary>Draws <paramref name="text"/> as plain text on a baseline, cut with "…" to <paramref name="width"/>.</summary>
    private static void DrawText(XGraphics g, string text, XFont font, XColor color, double x, double baseline, double width, bool alignRight = false)
    {
        var shown = Fit(g, Plain(text), font, width);
        if (shown.Length == 0)
            return;
        if (alignRight)
            x += width - g.MeasureString(shown, font).Width;
        g.DrawString(shown, font, new XSolidBrush(color), x, baseline, XStringFormats.BaseLineLeft);
    }

    /// <summary>The longest start of <paramref name="text"/> that, with "…", fits <paramref name="width"/> (the whole text if it fits).</summary>
    internal static string Fit(XGraphics g, string text, XFont font, double width)
    {
        if (text.Length == 0 || g.MeasureString(text, font).Width <= width)
            return text;
        const string ellipsis = "…";
        int low = 0, high = text.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (g.MeasureString(Cut(text, mid) + ellipsis, font).Width <= width)
                low = mid;
            else
                high = mid - 1;
        }

        return low == 0 ? (g.MeasureString(ellipsis, font).Width <= width ? ellipsis : "") : Cut(text, low).TrimEnd() + ellipsis;
    }

    // Never splits a surrogate pair.
    private static string Cut(string text, int length) =>
        length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];

    /// <summary>
    /// The text as it is drawn: line breaks and tabs become spaces, other control and bidirectional-override characters and
    /// lone surrogates become U+FFFD, so what is shown is exactly the characters stored, one line, nothing interpreted.
    /// </summary>
    internal static string Plain(string text)
    {
        StringBuilder? plain = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char? replacement = c switch
            {
                '\r' or '\n' or '\t' => ' ',
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when char.IsSurrogate(c) || char.IsControl(c) || IsBidiControl(c) => '\uFFFD',
                _ => null,
            };
            if (replacement is { } r)
            {
                plain ??= new StringBuilder(text, 0, i, text.Length);
                plain.Append(r);
            }
            else
            {
                plain?.Append(c);
            }
        }

        return plain?.ToString() ?? text;
    }

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static List<string> Wrap(XGraphics g, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && g.MeasureString(candidate, font).Width > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        if (line.Length > 0)
            lines.Add(line.ToString());
        return lines;
    }

    private static Column[] BuildColumns()
    {
        (string Title, double Width, bool Right)[] spec =
        [
            ("Row", 40, true), ("Recorded (UTC)", 100, false), ("Rev.", 40, true), ("Event type", 108, false),
            ("Amount", 92, true), ("Balance after", 92, true), ("Actor", 84, false), ("Reason", 0, false), ("Flag", 88, false),
        ];
        var flexible = ContentWidth - spec.Sum(s => s.Width);
        var columns = new Column[spec.Length];
        var x = Margin;
        for (var i = 0; i < spec.Length; i++)
        {
            var width = spec[i].Width == 0 ? flexible : spec[i].Width;
            columns[i] = new Column(spec[i].Title, x, width, spec[i].Right);
            x += width;
        }

        return columns;
    }

    private static string ViewText(ReplayView view) => view == ReplayView.Corrected ? "As corrected" : "As recorded";

    private static string RangeText(ExportRange range) => (range.From, range.To) switch
    {
        (null, null) => "All time",
        ({ } from, null) => $"From {Moment(from)} UTC",
        (null, { } to) => $"Up to {Moment(to)} UTC",
        ({ } from, { } to) => $"{Moment(from)} to {Moment(to)} UTC",
    };

    private static string Moment(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Moment(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment)
            ? Moment(moment)
            : text;

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(long count) => count == 1 ? "1 event" : Number(count) + " events";

    /// <summary>An amount with thousands separators and at least its currency's minor units, never rounded; the text as stored if it is no number.</summary>
    private static string Amount(string text, string currency, bool signed = true)
    {
        if (text.Length == 0)
            return "";
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            return currency.Length == 0 ? text : $"{text} {currency}";
        var digits = Math.Max(currency.Length == 0 ? 2 : Currencies.MinorUnits(currency), (int)value.Scale);
        var number = value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (signed && value > 0)
            number = "+" + number;
        return currency.Length == 0 ? number : $"{number} {currency}";
    }

    private static string? CurrencyOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("currency", out var currency)
                && currency.ValueKind == JsonValueKind.String
                    ? currency.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Column(string Title, double X, double Width, bool AlignRight);

    /// <summary>What the end row says: the count, the final state (when there were events) and the digest.</summary>
    private sealed record FinalState(long Count, string BalanceText, string Status, string LastRevision, string Digest, string EndRow)
    {
        private const string None = "—";

        public static FinalState Of(ExportRow? end, long events)
        {
            if (end is null)
                return new FinalState(events, None, None, None, "(the export has no end row)", None);

            long count = events;
            string balance = None, status = None, revision = None;
            try
            {
                using var document = JsonDocument.Parse(end[ExportColumns.Data]);
                var root = document.RootElement;
                if (root.TryGetProperty("count", out var c) && c.TryGetInt64(out var n))
                    count = n;
                if (count > 0)
                {
                    var currency = root.TryGetProperty("currency", out var cur) && cur.ValueKind == JsonValueKind.String ? cur.GetString() ?? "" : "";
                    if (root.TryGetProperty("balance", out var b) && b.ValueKind == JsonValueKind.String)
                        balance = Amount(b.GetString()!, currency, signed: false);
                    if (root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                        status = s.GetString()!;
                    if (root.TryGetProperty("lastRevision", out var r) && r.ValueKind == JsonValueKind.Number)
                        revision = r.GetRawText();
                }
            }
            catch (JsonException)
            {
                // Shown as unknown.
            }

            return new FinalState(count, balance, status, revision, end.Hash, end[0]);
        }
    }

    /// <summary>The document's fonts: the sans family for text, the monospace family for hashes.</summary>
    private sealed class Fonts
    {
        public XFont Body { get; } = new(PdfFonts.Sans, 7.5, XFontStyleEx.Regular);

        public XFont BodyBold { get; } = new(PdfFonts.Sans, 7.5, XFontStyleEx.Bold);

        public XFont BodyLarge { get; } = new(PdfFonts.Sans, 10, XFontStyleEx.Regular);

        public XFont Flag { get; } = new(PdfFonts.Sans, 7, XFontStyleEx.Bold);

        public XFont Small { get; } = new(PdfFonts.Sans, 7, XFontStyleEx.Regular);

        public XFont Label { get; } = new(PdfFonts.Sans, 8, XFontStyleEx.Regular);

        public XFont Value { get; } = new(PdfFonts.Sans, 10, XFontStyleEx.Regular);

        public XFont ColumnHeader { get; } = new(PdfFonts.Sans, 7, XFontStyleEx.Bold);

        public XFont PageTitle { get; } = new(PdfFonts.Sans, 11, XFontStyleEx.Bold);

        public XFont Heading { get; } = new(PdfFonts.Sans, 12, XFontStyleEx.Bold);

        public XFont CoverTitle { get; } = new(PdfFonts.Sans, 26, XFontStyleEx.Bold);

        public XFont CoverSubtitle { get; } = new(PdfFonts.Sans, 14, XFontStyleEx.Regular);

        public XFont BigNumber { get; } = new(PdfFonts.Sans, 18, XFontStyleEx.Bold);

        public XFont Hash { get; } = new(PdfFonts.Mono, 6, XFontStyleEx.Regular);

        public XFont HashLabel { get; } = new(PdfFonts.Sans, 5.5, XFontStyleEx.Regular);

        public XFont HashCover { get; } = new(PdfFonts.Mono, 7.5, XFontStyleEx.Regular);

        public XFont Digest { get; } = new(PdfFonts.Mono, 12, XFontStyleEx.Bold);

        public XFont DigestSmall { get; } = new(PdfFonts.Mono, 10, XFontStyleEx.Regular);
    }
}
