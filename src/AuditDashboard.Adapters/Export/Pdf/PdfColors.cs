using PdfSharp.Drawing;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>The colours of a PDF export.</summary>
internal static class PdfColors
{
    public static readonly XColor Ink = XColor.FromArgb(27, 31, 36);
    public static readonly XColor Muted = XColor.FromArgb(95, 107, 122);
    public static readonly XColor Faint = XColor.FromArgb(134, 142, 152);
    public static readonly XColor Navy = XColor.FromArgb(31, 42, 68);
    public static readonly XColor NavyText = XColor.FromArgb(184, 196, 220);
    public static readonly XColor Rule = XColor.FromArgb(222, 226, 231);
    public static readonly XColor Zebra = XColor.FromArgb(247, 248, 250);
    public static readonly XColor Panel = XColor.FromArgb(242, 244, 247);
    public static readonly XColor FlagText = XColor.FromArgb(178, 34, 34);
    public static readonly XColor FlagFill = XColor.FromArgb(255, 243, 224);
    public static readonly XColor Credit = XColor.FromArgb(27, 110, 58);
    public static readonly XColor Debit = XColor.FromArgb(179, 38, 30);
}
