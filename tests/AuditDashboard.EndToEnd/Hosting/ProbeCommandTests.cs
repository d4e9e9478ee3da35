namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>The <c>probe</c> command, the container's health check: 0 when the app is ready, 1 when nothing answers.</summary>
public sealed class ProbeCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task Probe_ExitsZeroForAReadyApp_AndOneWhenNothingListens()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var app = new AppProcess { SeedDemoData = false };
        await app.InitializeAsync();

        await using (var ready = AppCommand.StartTool(app.DatabasePath, "probe", new Uri(app.BaseAddress, "health/ready").ToString()))
        {
            Assert.True(await ready.WaitForExitAsync(ExitBound, cancellation), ready.Describe());
            output.WriteLine(ready.Describe());
            Assert.Equal(0, ready.ExitCode);
            Assert.Contains("answered 200", ready.StandardOutput, StringComparison.Ordinal);
        }

        await using var dead = AppCommand.StartTool(app.DatabasePath, "probe", $"http://127.0.0.1:{FreePort.Next()}/health/ready");
        Assert.True(await dead.WaitForExitAsync(ExitBound, cancellation), dead.Describe());
        Assert.Equal(1, dead.ExitCode);
        Assert.Contains("did not answer", dead.StandardError, StringComparison.Ordinal);
    }
}
