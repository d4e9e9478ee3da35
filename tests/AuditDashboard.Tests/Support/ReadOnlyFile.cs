using System.Diagnostics;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// Makes a file that this process really cannot write, and undoes it on dispose. Tests run as root here, where a
/// permission bit stops nothing: as root the file gets the immutable attribute (<c>chattr +i</c>), otherwise its write
/// permissions are removed. Fails loudly when neither works, rather than letting a test pass on a writable file.
/// </summary>
public sealed class ReadOnlyFile : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyFile(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    public static ReadOnlyFile Make(string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The read-only file of these tests is made the Unix way.");
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return new ReadOnlyFile(path, immutable: false);
        }

        var (exitCode, output) = Run("chattr", "+i", path);
        if (exitCode != 0)
            throw new InvalidOperationException($"Running as root, the test cannot make '{path}' read-only: 'chattr +i' exited with {exitCode}: {output}");
        return new ReadOnlyFile(path, immutable: true);
    }

    public void Dispose()
    {
        if (_immutable)
            Run("chattr", "-i", _path);
        else if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
