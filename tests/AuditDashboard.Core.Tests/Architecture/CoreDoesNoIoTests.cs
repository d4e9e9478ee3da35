using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace AuditDashboard.Core.Tests.Architecture;

/// <summary>
/// Core holds the domain: events, the fold, the rules, the export formats and the ports. It touches no file, socket, process
/// or clock of its own; the adapters do, behind the ports, and the composition root wires them in. These tests read the
/// Core project and its compiled assembly so that stays true.
/// </summary>
public sealed class CoreDoesNoIoTests
{
    /// <summary>Runtime assemblies whose only business is I/O: networking, processes, pipes, ports, mapped files, databases.</summary>
    private static readonly string[] IoAssemblyPrefixes =
    [
        "System.Net.", "System.IO.FileSystem", "System.IO.Pipes", "System.IO.Ports", "System.IO.MemoryMappedFiles", "System.IO.IsolatedStorage",
        "System.Diagnostics.Process", "System.Data.", "Microsoft.Data.", "System.Console",
    ];

    /// <summary>Types that reach the file system, the network or other processes.</summary>
    private static readonly string[] IoTypes =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileSystemInfo",
        "System.IO.FileStream", "System.IO.DriveInfo", "System.IO.FileSystemWatcher", "System.IO.RandomAccess",
        "System.Diagnostics.Process", "System.Console",
    ];

    [Fact]
    public void CoreProject_ReferencesNoPackage()
    {
        var project = XDocument.Load(CoreAssembly.ProjectFile);

        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).ToList();

        Assert.True(packages.Count == 0, $"Core references the packages {string.Join(", ", packages)}: formats and transports that need a library belong in AuditDashboard.Adapters, behind a port of Core.");
    }

    [Fact]
    public void CoreAssembly_ReferencesOnlyTheRuntime_AndNoneOfItsIoAssemblies()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();

        var references = CoreAssembly.Loaded.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var foreign = references.Where(name => !File.Exists(Path.Combine(runtime, name + ".dll"))).ToList();
        var io = references.Where(name => IoAssemblyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal) || name == prefix.TrimEnd('.'))).ToList();
        Assert.True(foreign.Count == 0, $"Core references assemblies that are not part of the .NET runtime: {string.Join(", ", foreign)}.");
        Assert.True(io.Count == 0, $"Core references the runtime's I/O assemblies {string.Join(", ", io)}.");
    }

    [Fact]
    public void CoreAssembly_UsesNoFileSystemNetworkOrProcessType()
    {
        var types = CoreAssembly.TypeReferences;

        var io = types.Where(type => IoTypes.Contains(type, StringComparer.Ordinal) || type.StartsWith("System.Net.", StringComparison.Ordinal)).ToList();
        Assert.True(io.Count == 0, $"Core uses {string.Join(", ", io)}: reading or writing files and talking to other machines is the adapters' work.");
    }

    [Fact]
    public void CoreAssembly_OpensNoReaderOrWriterOnAPath()
    {
        var members = CoreAssembly.MemberReferences;

        var onPath = members.Where(m => m.Name == ".ctor" && m.Type is "System.IO.StreamReader" or "System.IO.StreamWriter" && m.Parameters is ["System.String", ..]).ToList();
        Assert.True(onPath.Count == 0, $"Core opens files by name: {string.Join("; ", onPath)}.");
    }

    [Fact]
    public void CoreAssembly_ReadsTheTimeAndWaitsOnlyThroughATimeProvider()
    {
        var members = CoreAssembly.MemberReferences;

        var clockBound = members.Where(ReadsOrWaitsOnTheSystemClock).Select(m => m.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(clockBound.Count == 0, $"Core reads or waits on the system clock, which tests cannot move: {string.Join("; ", clockBound)}. Take a TimeProvider instead.");
    }

    private static bool ReadsOrWaitsOnTheSystemClock(CoreAssembly.MemberUse member)
    {
        var takesClock = member.Parameters.Contains("System.TimeProvider");
        var takesDuration = member.Parameters.Any(p => p is "System.TimeSpan" or "System.Int32" or "System.UInt32" or "System.Int64");
        return member.Type switch
        {
            "System.DateTime" or "System.DateTimeOffset" => member.Name is "get_Now" or "get_UtcNow" or "get_Today",
            "System.Environment" => member.Name is "get_TickCount" or "get_TickCount64",
            "System.Diagnostics.Stopwatch" or "System.Threading.Timer" or "System.Timers.Timer" => true,
            "System.Threading.Thread" => member.Name == "Sleep",
            "System.Threading.Tasks.Task" => !takesClock && (member.Name == "Delay" || (member.Name == "WaitAsync" && takesDuration)),
            "System.Threading.PeriodicTimer" => member.Name == ".ctor" && !takesClock,
            "System.Threading.CancellationTokenSource" => member.Name == ".ctor" && takesDuration && !takesClock,
            _ when member.Type.StartsWith("System.Threading.Tasks.Task`1<", StringComparison.Ordinal) => member.Name == "WaitAsync" && takesDuration && !takesClock,
            _ => false,
        };
    }
}
