using System.Diagnostics;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>Starts the built app (<c>dotnet AuditDashboard.dll …</c>) on a data folder of the test's own.</summary>
public static class AppCommand
{
    /// <summary>The Operator key of the root appsettings.Development.json.</summary>
    public const string OperatorApiKey = "dev-operator-key-7f3a9c";
    public const string SupportApiKey = "dev-support-key-2b8e41";

    // Settings a developer's shell may carry that would point the app elsewhere than the test wants.
    private static readonly string[] InheritedPrefixesToDrop = ["EventStore__", "DemoData__", "Auth__", "Kafka__", "Corrections__", "Exports__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS"];

    /// <summary>The dashboard itself, listening on <paramref name="port"/> of the loopback address.</summary>
    /// <param name="settings">More settings, as environment variables (e.g. <c>Kafka__BootstrapServers</c>).</param>
    public static ChildProcess StartServer(string databasePath, bool seedDemoData, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var startInfo = StartInfo(databasePath, seedDemoData, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", AppLocation.ContentRoot);

        // Every browser test signs in from 127.0.0.1, often as the same user, dozens of times a minute: the sign-in
        // throttle that guards a real deployment (its own tests run in-process) would answer them 429.
        startInfo.Environment["Auth__Throttle__PerClientAddress"] = "100000";
        startInfo.Environment["Auth__Throttle__PerUserName"] = "100000";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            startInfo.Environment[name] = value;
        return ChildProcess.Start(startInfo);
    }

    /// <summary>A command-line tool of the app, e.g. <c>seed --accounts 20 --events-per-account 50</c>.</summary>
    public static ChildProcess StartTool(string databasePath, params string[] arguments) =>
        ChildProcess.Start(StartInfo(databasePath, seedDemoData: false, arguments));

    private static ProcessStartInfo StartInfo(string databasePath, bool seedDemoData, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            // The content root, so the app finds wwwroot and, walking up, the root appsettings.Development.json.
            WorkingDirectory = AppLocation.ContentRoot,
        };
        startInfo.ArgumentList.Add(AppLocation.AppDll);
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (InheritedPrefixesToDrop.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                startInfo.Environment.Remove(name);
        }

        // Development: static web assets are served from the build output only then, and the dev users and keys load.
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["EventStore__Provider"] = "Embedded";
        startInfo.Environment["EventStore__ConnectionString"] = $"Data Source={databasePath}";
        startInfo.Environment["DemoData__SeedOnFirstStart"] = seedDemoData ? "true" : "false";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        return startInfo;
    }

    /// <summary>The dotnet host running this test run (set by the SDK), so the app runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
