using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// The real app, in memory, in the Development environment (so the repository root's development users and API keys
/// apply), with <paramref name="settings"/> laid over its configuration and, when given, <paramref name="clock"/> as the
/// app's <see cref="TimeProvider"/>.
/// </summary>
public sealed class DashboardFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null) : WebApplicationFactory<Program>
{
    public const string OperatorKey = "dev-operator-key-7f3a9c";
    public const string MonitorKey = "dev-monitor-key-9a1f27";
    public const string DevPassword = "dev-password";

    /// <summary>What the app logged (instead of the console), including start-up failures it reports instead of throwing.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>A client of the in-memory app that follows no redirects and keeps no cookies, with an API key when given.</summary>
    public HttpClient CreateApiClient(string? apiKey = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.Timeout = TimeSpan.FromSeconds(20);
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environments.Development);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        if (clock is not null)
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }
}
