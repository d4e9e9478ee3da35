using System.Reflection;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>Where the repository, the app's content root and the built app are, found from this test assembly.</summary>
public static class AppLocation
{
    private const string SolutionFile = "AuditDashboard.sln";

    /// <summary>The folder holding <c>AuditDashboard.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The app's project folder: its content root, under which it finds wwwroot and its appsettings.</summary>
    public static string ContentRoot => Path.Combine(RepositoryRoot, "src", "AuditDashboard");

    /// <summary>The build configuration of this test assembly, which the app is expected to share.</summary>
    public static string Configuration => Metadata("AppConfiguration");

    /// <summary>The built app, of the same configuration as this test assembly; fails with a clear message when it is missing.</summary>
    public static string AppDll
    {
        get
        {
            var path = Path.Combine(ContentRoot, "bin", Configuration, Metadata("AppTargetFramework"), "AuditDashboard.dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The app is not built: '{path}' does not exist. Build it first with 'dotnet build {ContentRoot} -c {Configuration}'.");
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No {SolutionFile} found above '{AppContext.BaseDirectory}'; run the tests from inside the repository.");
    }

    private static string Metadata(string key) =>
        typeof(AppLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly carries no '{key}' metadata; it is set in AuditDashboard.EndToEnd.csproj.");
}
