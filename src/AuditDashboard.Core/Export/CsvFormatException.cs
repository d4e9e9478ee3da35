namespace AuditDashboard.Core.Export;

/// <summary>Text that is not RFC 4180 CSV, at the physical line <see cref="Line"/>.</summary>
public sealed class CsvFormatException(string message, long line) : FormatException(message)
{
    public long Line { get; } = line;
}
