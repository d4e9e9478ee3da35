using PdfSharp.Drawing;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// The document's fonts, in the two families <see cref="PdfFonts"/> resolves: the sans family for text, the monospace family
/// for hashes. Made per document, once the resolver is installed (PDFsharp resolves a font when it is made).
/// </summary>
internal sealed class PdfReportFonts
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
