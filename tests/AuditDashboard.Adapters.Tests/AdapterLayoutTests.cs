using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// The adapters keep one job per class: a class spread over several partial files is several jobs under one name, so
/// no type of src/AuditDashboard.Adapters may be declared in more than one file (a single partial declaration, as the
/// logging source generator needs, is fine).
/// </summary>
public sealed partial class AdapterLayoutTests
{
    [Fact]
    public void AdapterTypes_AreEachDeclaredInOneFile()
    {
        var files = AdapterSourceFiles();

        var spread = files
            .SelectMany(file => PartialType().Matches(File.ReadAllText(file)).Select(m => (Type: m.Groups["name"].Value, File: Path.GetFileName(file))))
            .GroupBy(declaration => declaration.Type, declaration => declaration.File)
            .Where(type => type.Distinct().Count() > 1)
            .Select(type => $"{type.Key}: {string.Join(", ", type.Distinct().Order(StringComparer.Ordinal))}")
            .ToList();

        Assert.Contains(files, file => Path.GetFileName(file) == "SqliteEventStore.cs");
        Assert.Contains(files, file => Path.GetFileName(file) == "EventStoreDbEventStore.cs");
        Assert.Empty(spread);
    }

    private static List<string> AdapterSourceFiles()
    {
        var adapters = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "src", "AuditDashboard.Adapters"));
        var separator = Path.DirectorySeparatorChar;
        return [.. Directory.EnumerateFiles(adapters, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !file.Contains($"{separator}bin{separator}", StringComparison.Ordinal))];
    }

    // The source tree is found from this file's own path, as the compiler saw it.
    private static string ThisFile([CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"\bpartial\s+(?:class|record|struct|interface)\s+(?<name>\w+)")]
    private static partial Regex PartialType();
}
