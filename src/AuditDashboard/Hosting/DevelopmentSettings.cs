using Microsoft.Extensions.Configuration.Json;

namespace AuditDashboard.Hosting;

/// <summary>
/// Loads the repository root's <c>appsettings.Development.json</c> (the development defaults, kept beside the solution)
/// when running in Development, above the project's own appsettings files and below environment variables.
/// </summary>
internal static class DevelopmentSettings
{
    public const string FileName = "appsettings.Development.json";

    public static void AddRootDevelopmentSettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() || FindRootFile(builder.Environment.ContentRootPath) is not { } path)
            return;

        var sources = builder.Configuration.Sources;
        var projectFile = sources.Select((s, i) => (s, i)).LastOrDefault(p => p.s is JsonConfigurationSource { Path: FileName }).i;
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(Math.Min(projectFile + 1, sources.Count), source);
    }

    private static string? FindRootFile(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuditDashboard.sln")))
            {
                var candidate = Path.Combine(dir.FullName, FileName);
                return File.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
