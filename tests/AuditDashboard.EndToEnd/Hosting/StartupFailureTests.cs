using System.Diagnostics;
using System.Globalization;
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

    /// <summary>The store refusals and a configuration refusal; the data folder holds a file that is no database.</summary>
    public static TheoryData<string, string, string, string> Refusals { get; } = new()
    {
        { "not a database", "", "", "The event store is not usable: The event store file '{0}' is not a SQLite database or is corrupt." },
        { "missing, outside Development", "ASPNETCORE_ENVIRONMENT", "Production", "The event store is not usable: The event store file '{0}missing' does not exist" },
        { "a setting that does not convert", "EventStore__Provider", "Nope", "The configuration is not valid: Failed to convert configuration value 'Nope' at 'EventStore:Provider'" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Refusals))]
    public async Task Start_Refused_PrintsOnlyTheOneLineReason_WithoutAStackTrace(string refusal, string setting, string value, string expectedLine)
    {
        using var folder = new TempFolder();
        await File.WriteAllBytesAsync(folder.DatabasePath, new byte[8192], TestContext.Current.CancellationToken);
        var databasePath = refusal.StartsWith("missing", StringComparison.Ordinal) ? folder.DatabasePath + "missing" : folder.DatabasePath;
        var settings = setting.Length == 0 ? null : new Dictionary<string, string> { [setting] = value };

        var (app, _) = await RunUntilExitAsync(databasePath, TestContext.Current.CancellationToken, settings);
        await using var _ = app;

        output.WriteLine(app.Describe());
        var lines = (app.StandardOutput + "\n" + app.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, app.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith(string.Format(CultureInfo.InvariantCulture, expectedLine, folder.DatabasePath), line, StringComparison.Ordinal);
        Assert.Contains(line, app.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("sede")]
    [InlineData("serve")]
    public async Task Start_WithAnUnknownCommand_SaysSoListsTheCommands_AndExitsTwoWithoutStarting(string command)
    {
        using var folder = new TempFolder();

        await using var app = AppCommand.StartTool(folder.DatabasePath, command, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        if (!await app.WaitForExitAsync(ExitBound, TestContext.Current.CancellationToken))
            Assert.Fail($"'{command}' started something that was still running after {ExitBound.TotalSeconds:0} s.\n{app.Describe()}");

        Assert.True(app.ExitCode == 2, $"Exited with {app.ExitCode}, not 2.\n{app.Describe()}");
        Assert.Contains($"Unknown command '{command}'", app.StandardError, StringComparison.Ordinal);
        foreach (var known in new[] { "seed", "hash-password", "verify-export", "probe" })
            Assert.Contains($"AuditDashboard {known}", app.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", app.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath), "An unknown command must not open or create the store.");
    }

    /// <summary>Starts the app on the file and waits for it to give up; a process still running after the bound fails the test.</summary>
    private static async Task<(ChildProcess App, TimeSpan Elapsed)> RunUntilExitAsync(
        string databasePath, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var app = AppCommand.StartServer(databasePath, seedDemoData: false, FreePort.Next(), settings);
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
