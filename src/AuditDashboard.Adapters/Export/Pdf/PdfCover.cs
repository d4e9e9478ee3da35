using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;
using PdfSharp.Drawing;
using static AuditDashboard.Adapters.Export.Pdf.PdfLayout;
using static AuditDashboard.Adapters.Export.Pdf.PdfReportText;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// Draws the cover of a PDF export: what was exported, the final state, the final digest, the signature and how to check the
/// file. It is drawn last, onto the first page, because what it shows is known only after the last row.
/// </summary>
internal sealed class PdfCover(ExportHeader header, PdfReportFonts fonts)
{
    private const double Band = 118;

    public void Draw(XGraphics g, PdfCoverFacts facts)
    {
        var final = facts.Final;
        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), 0, 0, PageWidth, Band);
        Text(g, "AUDIT DASHBOARD · COMPLIANCE EXPORT", fonts.Label, PdfColors.NavyText, Margin + 8, 34, ContentWidth);
        Text(g, header.Search is null ? "Account timeline export" : "Event search export", fonts.CoverTitle, XColors.White, Margin + 8, 68, ContentWidth);
        Text(g, header.Subject, fonts.CoverSubtitle, PdfColors.NavyText, Margin + 8, 96, ContentWidth);

        // Left: what was exported. Right: the final state.
        var top = Band + 36;
        var left = Margin + 8;
        var leftWidth = (ContentWidth * 0.56) - 8;
        Text(g, "Export details", fonts.Heading, PdfColors.Navy, left, top, leftWidth);
        (string Label, string Value)[] subject = header.Search is { } search
            ? [("Search", EventSearchParameters.Describe(search)), ("Order", search.OldestFirst ? "Oldest first" : "Newest first")]
            : [("Account", header.AccountId), ("View", ViewText(header.View)), ("Range", RangeText(header.Range))];
        (string Label, string Value)[] details =
        [
            .. subject,
            ("Exported by", header.ExportedBy),
            ("Exported at", Moment(header.ExportedAt) + " UTC"),
            ("Export ID", header.ExportId.ToString("D")),
            ("Events", Count(final.Count)),
            ("Header row hash", facts.HeaderHash ?? "—"),
        ];
        var y = top + 24;
        foreach (var (label, value) in details)
        {
            Text(g, label, fonts.Label, PdfColors.Muted, left, y, 100);
            var font = label == "Header row hash" ? fonts.HashCover : fonts.Value;
            Text(g, value, font, PdfColors.Ink, left + 104, y, leftWidth - 104);
            y += 19;
        }

        var right = Margin + (ContentWidth * 0.58);
        var rightWidth = PageWidth - Margin - right;
        g.DrawRectangle(new XSolidBrush(PdfColors.Panel), right, top - 18, rightWidth, 162);
        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), right, top - 18, 3, 162);
        var rx = right + 16;
        var rw = rightWidth - 28;
        Text(g, "Final state", fonts.Heading, PdfColors.Navy, rx, top, rw);
        Text(g, "Events", fonts.Label, PdfColors.Muted, rx, top + 24, rw);
        Text(g, Number(final.Count), fonts.BigNumber, PdfColors.Ink, rx, top + 48, rw);
        Text(g, "Balance", fonts.Label, PdfColors.Muted, rx, top + 72, rw);
        Text(g, final.BalanceText, fonts.BigNumber, PdfColors.Ink, rx, top + 96, rw);
        Text(g, "Status", fonts.Label, PdfColors.Muted, rx, top + 118, rw / 2);
        Text(g, final.Status, fonts.Value, PdfColors.Ink, rx, top + 134, (rw / 2) - 8);
        Text(g, "Last revision", fonts.Label, PdfColors.Muted, rx + (rw / 2), top + 118, rw / 2);
        Text(g, final.LastRevision, fonts.Value, PdfColors.Ink, rx + (rw / 2), top + 134, rw / 2);

        // The digest, full width.
        var digestTop = top + 176;
        g.DrawRectangle(new XSolidBrush(PdfColors.Panel), Margin, digestTop, ContentWidth, 58);
        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), Margin, digestTop, 3, 58);
        Text(g, "Final digest (SHA-256 of the end row)", fonts.Label, PdfColors.Muted, left + 8, digestTop + 18, ContentWidth - 24);
        Text(g, final.Digest, fonts.Digest, PdfColors.Ink, left + 8, digestTop + 42, ContentWidth - 24);

        // The signature, full width: what makes the digest the dashboard's.
        var signatureTop = digestTop + 66;
        g.DrawRectangle(new XSolidBrush(PdfColors.Panel), Margin, signatureTop, ContentWidth, 58);
        g.DrawRectangle(new XSolidBrush(PdfColors.Navy), Margin, signatureTop, 3, 58);
        var signatureLabel = facts.Signature is null
            ? "Signature: none (this export is not signed)"
            : $"Signature (ES256 over the header row's hash and the final digest) · key id {facts.Signature.KeyId}";
        Text(g, signatureLabel, fonts.Label, PdfColors.Muted, left + 8, signatureTop + 18, ContentWidth - 24);
        Text(g, facts.Signature?.Value ?? "—", fonts.DigestSmall, PdfColors.Ink, left + 8, signatureTop + 42, ContentWidth - 24);

        var how =
            "How to check it: every row's SHA-256 hash chains to the previous row's hash, and the end row's hash is the final " +
            $"digest above, which the access log records for export {header.ExportId:D}. The rows travel inside this PDF as the " +
            $"attached file {PdfExportWriter.AttachmentName(header)}; run verify-export on this PDF with the dashboard's published keys " +
            "(GET /api/exports/keys) to check the chain and the signature. The pages are a rendering of those rows.";
        y = signatureTop + 80;
        foreach (var line in PdfTextFitting.Wrap(g, how, fonts.Body, ContentWidth - 16))
        {
            Text(g, line, fonts.Body, PdfColors.Muted, left, y, ContentWidth - 16);
            y += 12;
        }

        if (facts.ProofSeal is { } seal)
        {
            var proofs = string.Create(CultureInfo.InvariantCulture,
                $"Inclusion proofs: {Count(facts.Proven)} carry a proof against ledger seal {seal.Number} ({Number(seal.TreeSize)} events, root {seal.RootHash}, sealed {Moment(seal.SealedAt)} UTC)");
            proofs += (facts.NotProven == 0 ? "" : $"; {Count(facts.NotProven)} without one (appended after that seal, or not matching it)") + ". The proofs travel in the attached file.";
            y += 6;
            foreach (var line in PdfTextFitting.Wrap(g, proofs, fonts.Body, ContentWidth - 16))
            {
                Text(g, line, fonts.Body, PdfColors.Ink, left, y, ContentWidth - 16);
                y += 12;
            }
        }
    }

    private static void Text(XGraphics g, string text, XFont font, XColor color, double x, double baseline, double width) =>
        PdfDrawing.Text(g, text, font, color, x, baseline, width);
}
