namespace AuditDashboard.Integrity;

/// <summary>The file sink (section <c>Integrity:Seal:Sinks:File</c>); off while <c>Path</c> is empty.</summary>
public sealed class FileSinkOptions
{
    public string? Path { get; set; }
}
