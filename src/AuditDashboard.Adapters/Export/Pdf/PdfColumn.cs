namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>A column of a PDF export's event table: its title, left edge and width in points, and its alignment.</summary>
internal sealed record PdfColumn(string Title, double X, double Width, bool AlignRight);
