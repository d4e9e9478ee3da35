namespace AuditDashboard.Tests.Support;

/// <summary>A folder of its own under the temp path, holding one SQLite event store file; deleted with its contents.</summary>
public sealed class TempLedgerFolder : IDisposable
{
    public TempLedgerFolder()
    {
        FolderPath = Path.Combine(Path.GetTempPath(), "audit-dashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FolderPath);
    }

    public string FolderPath { get; }

    public string DatabasePath => Path.Combine(FolderPath, "audit.db");

    public string ConnectionString => $"Data Source={DatabasePath}";

    public void Dispose()
    {
        // The store is disposed before this runs; a file still held open (the feed's last read) must not fail the run.
        try
        {
            Directory.Delete(FolderPath, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
