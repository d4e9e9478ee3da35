using AuditDashboard.Adapters.Signing;
using AuditDashboard.Core.ReadModels;
using Microsoft.Extensions.Logging.Console;

namespace AuditDashboard.Hosting;

/// <summary>
/// Turns start-up failures an operator can fix into one clear line on standard error and a non-zero exit code. The host
/// itself logs every failed start as an error with the exception's stack trace ("Hosting failed to start", 15 to 20
/// lines before the reason); that entry is left out while the app starts, and the trace is logged at Debug instead.
/// A failure this guard does not explain still escapes with its trace, as a bug should.
/// </summary>
internal static partial class StartupGuard
{
    /// <summary>The category of the guard's own entries: the one-line reason (Critical) and its trace (Debug).</summary>
    public const string Category = "AuditDashboard.Hosting.StartupGuard";

    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Leaves the host's own report of a failed start out of every log, for this app only.</summary>
    public static WebApplicationBuilder AddStartupGuard(this WebApplicationBuilder builder)
    {
        var phase = new StartupPhase();
        builder.Services.AddSingleton(phase);
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(
            new PostConfigureOptions<LoggerFilterOptions>(Options.DefaultName, options => WrapRules(options, phase)));
        return builder;
    }

    public static async Task<int> RunAsync(WebApplication app)
    {
        // Made before the start: a host whose start failed is disposed, and so is its logger factory.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var phase = app.Services.GetService<StartupPhase>();
        using var started = app.Lifetime.ApplicationStarted.Register(() => phase?.Started());
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            LogStartFailedDetail(logger, ex);
            return Fail(logger, message);
        }
    }

    /// <summary>The one-line message for a failure an operator can fix (the store, the configuration); null for any other.</summary>
    public static string? Explain(Exception exception) => exception switch
    {
        EventStoreUnavailableException ex => "The event store is not usable: " + ex.Message,
        ReadModelStoreUnavailableException ex => "The read models are not usable: " + ex.Message,
        MirrorUnsupportedException ex => "The configuration is not valid: " + ex.Message,
        SigningKeyException ex => "The signing key is not usable: " + ex.Message,
        OptionsValidationException ex => "The configuration is not valid: " + string.Join(" ", ex.Failures),

        // The binder's own message names the key and the value: "Failed to convert configuration value 'Nope' at 'EventStore:Provider'…".
        InvalidOperationException ex when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "The configuration is not valid: " + ex.Message,
        _ => null,
    };

    /// <summary>Reports the reason: logged as critical (for log collectors) and written as one line to standard error.</summary>
    public static int Fail(ILogger? logger, string message)
    {
        if (logger is not null)
            LogStartFailed(logger, message);
        Console.Error.WriteLine(message);
        return 1;
    }

    /// <summary>
    /// Keeps every configured level and filter, and adds: no host error entry while the app starts (the guard reports
    /// it), and the guard's critical line not on the console, which already shows it on standard error.
    /// </summary>
    private static void WrapRules(LoggerFilterOptions options, StartupPhase phase)
    {
        bool Keep(string? provider, string? category, LogLevel level) =>
            !(category == HostCategory && level >= LogLevel.Error && phase.IsStarting)
            && !(category == Category && level == LogLevel.Critical && provider == typeof(ConsoleLoggerProvider).FullName);

        var rules = options.Rules.ToList();
        options.Rules.Clear();

        // For loggers no configured rule matches; a configured rule as general as this one comes later and wins.
        options.Rules.Add(new LoggerFilterRule(null, null, options.MinLevel, Keep));
        foreach (var rule in rules)
        {
            var inner = rule.Filter;
            options.Rules.Add(new LoggerFilterRule(rule.ProviderName, rule.CategoryName, rule.LogLevel,
                (provider, category, level) => Keep(provider, category, level) && (inner?.Invoke(provider, category, level) ?? true)));
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogStartFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The start failed; the exception and its stack trace follow")]
    private static partial void LogStartFailedDetail(ILogger logger, Exception exception);

    /// <summary>Whether this app is still starting; one per app, so several apps in one process do not share it.</summary>
    private sealed class StartupPhase
    {
        private volatile bool _starting = true;

        public bool IsStarting => _starting;

        public void Started() => _starting = false;
    }
}
