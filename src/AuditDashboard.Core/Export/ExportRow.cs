namespace AuditDashboard.Core.Export;

/// <summary>One row of an export: its fields as text, in <see cref="ExportColumns.Fields"/> order, and its chained hash.</summary>
public sealed record ExportRow(IReadOnlyList<string> Fields, string Hash)
{
    public long Number => long.Parse(Fields[0], System.Globalization.CultureInfo.InvariantCulture);

    public string Kind => Fields[1];

    public string this[int column] => Fields[column];
}
