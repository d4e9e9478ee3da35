using System.Diagnostics;
using AuditDashboard.EndToEnd.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>A store the app cannot use stops it at start with a message an operator can act on, not a hang or a stack trace.</summary>
public sealed class StartupFailureTests(ITestOutputHelper output)
{
    /// <summary>The app waits 3 s for a locked file; the rest is process start-up.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 60_000)]
    public async Task Start_OnADatabaseFileLockedByAnotherProcess_ExitsNonZeroNamingTheFile()
    {
        using var folder = new TempFolder();
        await using var holder = new SqliteConnection($"Data Source={folder.DatabasePath};Pooling=False");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE holder (x INTEGER); INSERT INTO holder VALUES (1);";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var (app, elapsed) = await RunUntilExitAsync(folder.DatabasePath, TestContext.Current.CancellationToken);
        await using var _ = app;

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(folder.DatabasePath, app.StandardError, StringComparison.Ordinal);
        Assert.Contains("is locked by another process", app.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", app.StandardError, StringComparison.Ordinal);
        output.WriteLine($"Exited with {app.ExitCode} after {elapsed.TotalSeconds:F1} s.\n{app.Describe()}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_OnAFileThatIsNotADatabase_ExitsNonZeroWithAClearMessage()
    {
        using var folder = new TempFolder();
        var bytes = new byte[8192];
        new Random(20261127).NextBytes(bytes);
        await File.WriteAllBytesAsync(folder.DatabasePath, bytes, TestContext.Current.CancellationToken);

        var (app, elapsed) = await RunUntilExitAsync(folder.DatabasePath, TestContext.Current.CancellationToken);
        await using var _ = app;

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(folder.DatabasePath, app.StandardError, StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database or is corrupt", app.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", app.StandardError, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(folder.DatabasePath, TestContext.Current.CancellationToken));
        output.WriteLine($"Exited with {app.ExitCode} after {elapsed.TotalSeconds:F1} s.\n{app.Describe()}");
    }

    /// <summary>Starts the app on the file and waits for it to give up; a process still running after the bound fails the test.</summary>
    private static async Task<(ChildProcess App, TimeSpan Elapsed)> RunUntilExitAsync(string databasePath, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var app = AppCommand.StartServer(databasePath, seedDemoData: false, FreePort.Next());
        try
        {
            if (!await app.WaitForExitAsync(ExitBound, cancellationToken))
                Assert.Fail($"The app was still running {ExitBound.TotalSeconds:0} s after it started on an unusable store.\n{app.Describe()}");
            return (app, stopwatch.Elapsed);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
