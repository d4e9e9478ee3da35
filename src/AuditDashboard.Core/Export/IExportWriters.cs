namespace AuditDashboard.Core.Export;

/// <summary>Makes the writer of an export's format: the formats that need a library of their own are written by the adapters.</summary>
public interface IExportWriters
{
    /// <summary>A writer of <paramref name="header"/>'s format onto <paramref name="output"/>, which it leaves open.</summary>
    ExportWriter Create(ExportHeader header, Stream output);
}
