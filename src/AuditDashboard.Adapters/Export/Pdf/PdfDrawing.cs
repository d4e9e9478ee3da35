using AuditDashboard.Core.Export;
using PdfSharp.Drawing;
using static AuditDashboard.Adapters.Export.Pdf.PdfLayout;
using static AuditDashboard.Adapters.Export.Pdf.PdfReportText;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// Draws the parts of a PDF export's table pages: the page heading with the column header, an event row with its hash beneath,
/// the final state, and every page's footer. Where each part goes is <see cref="PdfLayout"/>'s; every text is made plain and
/// cut to its place (<see cref="PdfTextFitting"/>).
/// </summary>
internal sealed class PdfDrawing(ExportHeader header, PdfReportFonts fonts)
{
    /// <summary>Draws a table page's heading (and the column header unless <paramref name="withColumns"/> is false); returns where the table goes on.</summary>
    public double TablePageHeading(XGraphics g, bool withColumns)
    {
        var title = header.Search is null ? "Account timeline · " + header.AccountId : "Event search · " + header.Subject;
        Text(g, title, fonts.PageTitle, PdfColors.Navy, Margin, 30, ContentWidth * 0.55);
        var context = header.Search is null
            ? $"{ViewText(header.View)} · {RangeText(header.Range)} · exported {Moment(header.ExportedAt)} UTC"
            : $"exported {Moment(header.ExportedAt)} UTC";
        Text(g, context, fonts.Small, PdfColors.Muted, Margin + (ContentWidth * 0.45), 30, ContentWidth * 0.55, alignRight: true);
        g.DrawLine(new XPen(PdfColors.Rule, 0.75), Margin, 38, PageWidth - Margin, 38);
        var y = TableTop;
        if (!withColumns)
            return y;

        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), Margin, y, ContentWidth, ColumnHeaderHeight);
        foreach (var column in Columns)
            Text(g, column.Title, fonts.ColumnHeader, XColors.White, column.X + CellPadding, y + 11.5, column.Width - (2 * CellPadding), column.AlignRight);
        return y + ColumnHeaderHeight;
    }

    /// <summary>Draws the line "No events in this range." where the first row would go.</summary>
    public void NoEvents(XGraphics g, double top) =>
        Text(g, "No events in this range.", fonts.Body, PdfColors.Muted, Margin + CellPadding, top + 14, ContentWidth);

    /// <summary>
    /// Draws an event row at <paramref name="top"/>: flagged rows tinted, every other row striped, the balance in
    /// <paramref name="currency"/> (the account's currency as of this row).
    /// </summary>
    public void EventRow(XGraphics g, ExportRow row, double top, bool striped, string currency)
    {
        var flag = row[16];
        var flagged = flag.Length > 0;

        if (flagged)
        {
            g.DrawRectangle(new XSolidBrush(PdfColors.FlagFill), Margin, top, ContentWidth, RowHeight);
            g.DrawRectangle(new XSolidBrush(PdfColors.FlagText), Margin, top, 2.5, RowHeight);
        }
        else if (striped)
        {
            g.DrawRectangle(new XSolidBrush(PdfColors.Zebra), Margin, top, ContentWidth, RowHeight);
        }

        var baseline = top + 10;
        var amount = Amount(row[13], row[14]);
        var cells = new[]
        {
            (Text: row[0], Color: PdfColors.Muted),
            (Text: Moment(row[4]), Color: PdfColors.Ink),
            (Text: row[3], Color: PdfColors.Ink),
            (Text: row[6], Color: PdfColors.Ink),
            (Text: amount, Color: flagged || amount.Length == 0 ? PdfColors.Ink : row[13].StartsWith('-') ? PdfColors.Debit : PdfColors.Credit),
            (Text: Amount(row[15], currency, signed: false), Color: PdfColors.Ink),
            (Text: row[8], Color: PdfColors.Ink),
            (Text: row[9], Color: PdfColors.Ink),
            (Text: flag, Color: PdfColors.FlagText),
        };
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            var font = i == Columns.Count - 1 ? fonts.Flag : i == 3 ? fonts.BodyBold : fonts.Body;
            Text(g, cells[i].Text, font, cells[i].Color, column.X + CellPadding, baseline, column.Width - (2 * CellPadding), column.AlignRight);
        }

        var hashX = Columns[1].X + CellPadding;
        Text(g, "sha-256", fonts.HashLabel, PdfColors.Faint, Columns[0].X + CellPadding, top + 18.5, Columns[0].Width - CellPadding);
        Text(g, row.Hash, fonts.Hash, PdfColors.Faint, hashX, top + 18.5, PageWidth - Margin - hashX);
        g.DrawLine(new XPen(PdfColors.Rule, 0.5), Margin, top + RowHeight, PageWidth - Margin, top + RowHeight);
    }

    /// <summary>Draws the final state's panel after the last row.</summary>
    public void FinalState(XGraphics g, PdfFinalState final, double top)
    {
        g.DrawRectangle(new XSolidBrush(PdfColors.Panel), Margin, top, ContentWidth, FinalStateHeight - 14);
        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), Margin, top, 3, FinalStateHeight - 14);
        var x = Margin + 14;
        Text(g, "Final state", fonts.Heading, PdfColors.Navy, x, top + 20, ContentWidth - 28);
        var summary = final.Count == 0
            ? "No events in this range."
            : $"{Count(final.Count)} · balance {final.BalanceText} · status {final.Status} · last revision {final.LastRevision}";
        Text(g, summary, fonts.BodyLarge, PdfColors.Ink, x, top + 38, ContentWidth - 28);
        Text(g, "Final digest (SHA-256 of the end row, row " + final.EndRow + ")", fonts.Label, PdfColors.Muted, x, top + 58, ContentWidth - 28);
        Text(g, final.Digest, fonts.DigestSmall, PdfColors.Ink, x, top + 74, ContentWidth - 28);
    }

    /// <summary>Draws the footer of page <paramref name="page"/> of <paramref name="pages"/>.</summary>
    public void Footer(XGraphics g, int page, int pages)
    {
        g.DrawLine(new XPen(PdfColors.Rule, 0.75), Margin, FooterTop + 4, PageWidth - Margin, FooterTop + 4);
        var left = header.Search is null
            ? $"{header.AccountId} · Account timeline export · {ViewText(header.View)} · export {header.ExportId:D}"
            : $"Event search export · export {header.ExportId:D}";
        var right = string.Create(CultureInfo.InvariantCulture, $"page {page} of {pages}");
        Text(g, left, fonts.Small, PdfColors.Faint, Margin, FooterTop + 17, ContentWidth * 0.8);
        Text(g, right, fonts.Small, PdfColors.Faint, Margin + (ContentWidth * 0.8), FooterTop + 17, ContentWidth * 0.2, alignRight: true);
    }

    /// <summary>Draws <paramref name="text"/> as plain text on a baseline, cut with "…" to <paramref name="width"/>.</summary>
    public static void Text(XGraphics g, string text, XFont font, XColor color, double x, double baseline, double width, bool alignRight = false)
    {
        var shown = PdfTextFitting.Fit(g, PdfTextFitting.Plain(text), font, width);
        if (shown.Length == 0)
            return;
        if (alignRight)
            x += width - g.MeasureString(shown, font).Width;
        g.DrawString(shown, font, new XSolidBrush(color), x, baseline, XStringFormats.BaseLineLeft);
    }
}
