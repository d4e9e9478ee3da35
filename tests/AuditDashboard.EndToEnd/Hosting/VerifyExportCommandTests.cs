using System.Text;
using AuditDashboard.Accounts;
using AuditDashboard.EndToEnd.Infrastructure;
using AuditDashboard.EventStore;
using AuditDashboard.Export;
using AuditDashboard.Replay;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// <c>verify-export FILE</c>, run as a reviewer would: 0 and the digest for an intact export; 1 naming the row for an
/// altered one; a clear message and a non-zero exit, never a stack trace, for a file that is not an export.
/// </summary>
public sealed class VerifyExportCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("verify-export-");

    [Fact(Timeout = 120_000)]
    public async Task IntactExport_ExitsZero_PrintingTheCountAndDigest()
    {
        var (path, summary) = await WriteExportAsync("intact.csv", TestContext.Current.CancellationToken);

        var (exitCode, stdout, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Contains("Valid: 4 events", stdout, StringComparison.Ordinal);
        Assert.Contains(summary.Digest, stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task AlteredExport_ExitsOne_NamingTheAlteredRow()
    {
        var (path, _) = await WriteExportAsync("altered.csv", TestContext.Current.CancellationToken);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, text.Replace("\"250.50\"", "\"2500.50\"", StringComparison.Ordinal), new UTF8Encoding(true), TestContext.Current.CancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("row 3 (line 5)", stderr, StringComparison.Ordinal);
        Assert.Contains("does not match", stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("empty.csv", "", "empty")]
    [InlineData("garbage.bin", "\u0001\u0002binary\u0000", "not")]
    [InlineData("report.pdf", "%PDF-1.7\n", "PDF")]
    [InlineData("cut.ndjson", "{\"row\":0,\"kind\":\"export\"", "not valid JSON")]
    public async Task NotAnExport_ExitsOne_WithAClearMessage(string name, string content, string expected)
    {
        var path = Path.Combine(_folder.FullName, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task MissingFile_ExitsTwo_AndNoArgumentPrintsTheUsage()
    {
        var (missing, _, missingError) = await VerifyAsync(Path.Combine(_folder.FullName, "nowhere.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(2, missing);
        Assert.Contains("Cannot read", missingError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missingError, StringComparison.Ordinal);

        await using var bare = AppCommand.StartTool(Path.Combine(_folder.FullName, "unused.db"), "verify-export");
        Assert.True(await bare.WaitForExitAsync(ExitBound, TestContext.Current.CancellationToken), bare.Describe());
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("verify-export FILE", bare.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private async Task<(int ExitCode, string Stdout, string Stderr)> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        await using var tool = AppCommand.StartTool(Path.Combine(_folder.FullName, "unused.db"), "verify-export", path);
        Assert.True(await tool.WaitForExitAsync(ExitBound, cancellationToken), tool.Describe());
        output.WriteLine(tool.Describe());
        return (tool.ExitCode, tool.StandardOutput, tool.StandardError);
    }

    private async Task<(string Path, ExportSummary Summary)> WriteExportAsync(string name, CancellationToken cancellationToken)
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        AccountEvent[] events =
        [
            new AccountOpened("ACC-CLI", "Cleo Line", "EUR"),
            new FundsDeposited(100m, "EUR", "T1"),
            new FundsDeposited(250.50m, "EUR", "T2"),
            new FundsWithdrawn(20m, "EUR", "T3"),
        ];
        var state = AccountState.Initial("ACC-CLI");
        var entries = new List<ExportEntry>();
        for (var i = 0; i < events.Length; i++)
        {
            var data = AccountEventCodec.Encode(Guid.NewGuid(), events[i], new EventMetadata("teller", "=SUM(A1:A9)", "c-1", null, "tests"));
            var record = new RecordedEvent(AccountIds.StreamOf("ACC-CLI"), i, i + 1, data.EventId, data.EventType, data.Data, data.Metadata, t0.AddMinutes(i));
            var entry = TimelineEntry.Next(state, record);
            state = entry.StateAfter;
            entries.Add(new ExportEntry(entry, state));
        }

        var path = Path.Combine(_folder.FullName, name);
        var header = new ExportHeader(Guid.NewGuid(), "ACC-CLI", ReplayView.Recorded, ExportRange.All, ExportFormat.Csv, "carla", t0.AddDays(1));
        await using var file = File.Create(path);
        await using var writer = new CsvExportWriter(file);
        var summary = await TimelineExport.WriteAsync(header, entries.ToAsyncEnumerable(), writer, cancellationToken: cancellationToken);
        return (path, summary);
    }
}
