using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>
/// A process started by a test, with its standard output and error captured line by line so that every failure
/// message can show what the process said. Disposing kills its whole process tree if it still runs.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxLinesShown = 200;

    // Killed if the test host itself goes away first, so no server outlives the run that started it.
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<string> _all = [];

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var child in Running.Keys)
            child.Kill();
    };

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only valid once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed on standard output so far.</summary>
    public string StandardOutput => Join(_stdout);

    /// <summary>Everything printed on standard error so far.</summary>
    public string StandardError => Join(_stderr);

    /// <summary>How many lines (both streams) were captured so far: a mark for <see cref="OutputSince"/>.</summary>
    public int LineCount
    {
        get
        {
            lock (_gate)
                return _all.Count;
        }
    }

    public static ChildProcess Start(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var commandLine = startInfo.FileName + " " + string.Join(' ', startInfo.ArgumentList);
        var child = new ChildProcess(process, commandLine);
        process.OutputDataReceived += (_, e) => child.Capture(e.Data, child._stdout, "out");
        process.ErrorDataReceived += (_, e) => child.Capture(e.Data, child._stderr, "err");
        if (!process.Start())
            throw new InvalidOperationException($"Could not start '{commandLine}'.");

        Running.TryAdd(child, 0);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end by itself; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            // Also waits for the end of both redirected streams, so the captured output is complete.
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop, as a service manager or a container runtime does (SIGTERM): its shutdown code runs.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException($"Could not run kill -TERM {Id}.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -TERM {Id} exited with code {kill.ExitCode}.");
    }

    /// <summary>Lines captured after <paramref name="mark"/> (a former <see cref="LineCount"/>), both streams interleaved.</summary>
    public string OutputSince(int mark)
    {
        lock (_gate)
            return Tail(_all.Skip(mark).ToList());
    }

    /// <summary>The command, its state and everything it printed, for a failure message.</summary>
    public string Describe()
    {
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";
        return $"""
            Process: {CommandLine} (pid {_process.Id}, {state})
            --- standard output ---
            {TailOf(_stdout)}
            --- standard error ---
            {TailOf(_stderr)}
            --- end ---
            """;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private void Capture(string? line, List<string> stream, string tag)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            stream.Add(line);
            _all.Add($"[{tag}] {line}");
        }
    }

    private string Join(List<string> lines)
    {
        lock (_gate)
            return string.Join('\n', lines);
    }

    private string TailOf(List<string> lines)
    {
        lock (_gate)
            return Tail(lines);
    }

    private static string Tail(List<string> lines) => lines.Count <= MaxLinesShown
        ? string.Join('\n', lines)
        : $"… {lines.Count - MaxLinesShown} earlier lines left out …\n" + string.Join('\n', lines.Skip(lines.Count - MaxLinesShown));
}
