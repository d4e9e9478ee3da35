namespace AuditDashboard.Core.Export;

/// <summary>The file formats of an export.</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV in UTF-8, every cell quoted, formula-like cells neutralised.</summary>
    Csv,

    /// <summary>One JSON object a line.</summary>
    Ndjson,

    /// <summary>A printable report: cover, table of events, final state and digest.</summary>
    Pdf,
}

public static class ExportFormats
{
    /// <summary>The most events a PDF export holds: its document is built in memory. Larger ranges go out as CSV or NDJSON.</summary>
    public const int PdfMaxEvents = 20_000;

    public static string Extension(this ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Ndjson => "ndjson",
        _ => "pdf",
    };

    public static string ContentType(this ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Ndjson => "application/x-ndjson; charset=utf-8",
        _ => "application/pdf",
    };

    /// <summary>Reads <c>csv</c>, <c>ndjson</c> or <c>pdf</c> (any case); null for anything else.</summary>
    public static ExportFormat? Parse(string? text) => text?.ToUpperInvariant() switch
    {
        "CSV" => ExportFormat.Csv,
        "NDJSON" => ExportFormat.Ndjson,
        "PDF" => ExportFormat.Pdf,
        _ => null,
    };
}
