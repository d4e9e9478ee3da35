using System.Reflection;
using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Hosting;

namespace AuditDashboard.Tests.Architecture;

/// <summary>
/// One namespace root per project: Core's types under <c>AuditDashboard.Core</c>, the adapters' under
/// <c>AuditDashboard.Adapters</c>, and the app's under <c>AuditDashboard</c> but neither of those. Then a name never needs
/// <c>global::</c> or a partial qualification to say which project's <c>Export</c> or <c>Integrity</c> it means.
/// </summary>
public sealed class NamespaceRootTests
{
    public static TheoryData<string, string> Projects { get; } = new()
    {
        { "Core", "AuditDashboard.Core" },
        { "Adapters", "AuditDashboard.Adapters" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryTypeOfAProject_LivesUnderItsRoot(string project, string root)
    {
        var assembly = project == "Core" ? typeof(IEventStore).Assembly : typeof(KafkaMirror).Assembly;

        var offenders = OwnTypes(assembly).Where(t => !IsUnder(t.Namespace!, root)).Select(t => t.FullName).ToList();

        Assert.NotEmpty(OwnTypes(assembly));
        Assert.True(offenders.Count == 0, $"Outside {root}:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheAppsTypes_LiveUnderAuditDashboard_ButNotUnderCoreOrAdapters()
    {
        var offenders = OwnTypes(typeof(AuditDashboardSetup).Assembly)
            .Where(t => IsUnder(t.Namespace!, "AuditDashboard.Core") || IsUnder(t.Namespace!, "AuditDashboard.Adapters"))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(offenders.Count == 0, "App types in another project's root:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheSource_NeedsNoGlobalQualification()
    {
        var src = Path.Combine(CompositionRootTests.RepositoryRoot(), "src");

        var offenders = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => l.Text.Contains("global::AuditDashboard", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    // The project's own types, not those the compiler and source generators add (embedded attributes, validation and
    // Razor helpers), which live in their generators' namespaces.
    private static List<Type> OwnTypes(Assembly assembly) =>
        [.. assembly.GetTypes().Where(t => t.Namespace is { } ns
            && !IsUnder(ns, "Microsoft") && !IsUnder(ns, "System") && !ns.StartsWith("__", StringComparison.Ordinal)
            && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false))];

    private static bool IsUnder(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}
