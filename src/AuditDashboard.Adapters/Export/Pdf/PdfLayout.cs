namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// Where things go on the pages of a PDF export: A4 landscape, in points; the table's columns; and when a row or the final
/// state no longer fits above the footer, so a new page begins.
/// </summary>
internal static class PdfLayout
{
    public const double PageWidth = 841.89;
    public const double PageHeight = 595.28;
    public const double Margin = 32;
    public const double ContentWidth = PageWidth - (2 * Margin);
    public const double FooterTop = PageHeight - 30;
    public const double TableTop = 52;
    public const double ColumnHeaderHeight = 17;
    public const double RowHeight = 22;
    public const double CellPadding = 4;
    public const double FinalStateHeight = 104;

    /// <summary>The table's columns, left to right; the reason column takes the width the others leave.</summary>
    public static IReadOnlyList<PdfColumn> Columns { get; } = BuildColumns();

    /// <summary>Whether an event row starting at <paramref name="top"/> ends clear of the footer.</summary>
    public static bool RowFits(double top) => top + RowHeight <= FooterTop - 6;

    /// <summary>Whether the final state's panel starting at <paramref name="top"/> ends clear of the footer.</summary>
    public static bool FinalStateFits(double top) => top + FinalStateHeight <= FooterTop - 8;

    private static PdfColumn[] BuildColumns()
    {
        (string Title, double Width, bool Right)[] spec =
        [
            ("Row", 40, true), ("Recorded (UTC)", 100, false), ("Rev.", 40, true), ("Event type", 108, false),
            ("Amount", 92, true), ("Balance after", 92, true), ("Actor", 84, false), ("Reason", 0, false), ("Flag", 88, false),
        ];
        var flexible = ContentWidth - spec.Sum(s => s.Width);
        var columns = new PdfColumn[spec.Length];
        var x = Margin;
        for (var i = 0; i < spec.Length; i++)
        {
            var width = spec[i].Width == 0 ? flexible : spec[i].Width;
            columns[i] = new PdfColumn(spec[i].Title, x, width, spec[i].Right);
            x += width;
        }

        return columns;
    }
}
