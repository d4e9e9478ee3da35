using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Core.Export;


namespace AuditDashboard.Adapters.Export;

/// <summary>The export writers: CSV and NDJSON from Core, the PDF report drawn with the fonts installed at start.</summary>
public sealed class ExportWriters(PdfFonts fonts) : IExportWriters
{
    public ExportWriter Create(ExportHeader header, Stream output)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Format switch
        {
            ExportFormat.Csv => new CsvExportWriter(output),
            ExportFormat.Ndjson => new NdjsonExportWriter(output),
            _ => new PdfExportWriter(output, header, fonts),
        };
    }
}
