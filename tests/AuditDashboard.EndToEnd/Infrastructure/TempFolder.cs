namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>A fresh, empty folder of its own for one app's data, deleted with everything in it on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audit-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The store's SQLite file inside the folder (not created here).</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, "audit.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in /tmp is harmless; failing the run over it would hide the real result.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
