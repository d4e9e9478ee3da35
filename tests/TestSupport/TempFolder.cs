namespace AuditDashboard.TestSupport;

/// <summary>
/// A fresh, empty folder of its own under the system temp folder (for a store file, keys, exports), deleted with
/// everything in it on dispose. Compiled into every test project from tests/TestSupport.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audit-dashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The store's SQLite file inside the folder (not created here).</summary>
    public string DatabasePath => File("audit.db");

    public string ConnectionString => $"Data Source={DatabasePath}";

    /// <summary>The path of <paramref name="name"/> inside the folder (not created here).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // A file still held open (a store's last read, a child process) must not fail the test that used the folder:
        // a leftover folder in the temp path is harmless, failing the run over it would hide the real result.
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
