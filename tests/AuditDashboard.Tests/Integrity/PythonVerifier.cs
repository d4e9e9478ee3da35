using System.Diagnostics;

namespace AuditDashboard.Tests.Integrity;

/// <summary>Runs docs/verify_proofs.py, the independent RFC 6962 check, with the machine's python3.</summary>
internal static class PythonVerifier
{
    public static async Task<(int ExitCode, string Output)> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Script());
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("python3 did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // The proofs must be checked by an implementation that is not ours; without python3 that check cannot run.
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: install python3 on the runner)" : "";
            throw new InvalidOperationException($"python3 is needed to check the proofs independently and was not found{ci}: {ex.Message}", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await stdout + await stderr);
        }
    }

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "verify_proofs.py");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("docs/verify_proofs.py was not found above " + AppContext.BaseDirectory);
    }
}
