using AuditDashboard.EventStore;
using Microsoft.Extensions.Options;

namespace AuditDashboard.Hosting;

/// <summary>Turns start-up failures an operator can fix into one clear message and a non-zero exit code.</summary>
internal static partial class StartupGuard
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            return Fail(app, message);
        }
    }

    /// <summary>The one-line message for a failure an operator can fix (the store, the configuration); null for any other.</summary>
    public static string? Explain(Exception exception) => exception switch
    {
        EventStoreUnavailableException ex => "The event store is not usable: " + ex.Message,
        MirrorUnsupportedException ex => "The configuration is not valid: " + ex.Message,
        Signing.SigningKeyException ex => "The signing key is not usable: " + ex.Message,
        OptionsValidationException ex => "The configuration is not valid: " + string.Join(" ", ex.Failures),

        // The binder's own message names the key and the value: "Failed to convert configuration value 'Nope' at 'EventStore:Provider'…".
        InvalidOperationException ex when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "The configuration is not valid: " + ex.Message,
        _ => null,
    };

    public static int Fail(WebApplication? app, string message)
    {
        if (app is not null)
            LogStartFailed(app.Logger, message);
        Console.Error.WriteLine(message);
        return 1;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogStartFailed(ILogger logger, string message);
}
