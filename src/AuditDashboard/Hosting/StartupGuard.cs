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
        catch (EventStoreUnavailableException ex)
        {
            return Fail(app, "The event store is not usable: " + ex.Message);
        }
        catch (OptionsValidationException ex)
        {
            return Fail(app, "The configuration is not valid: " + string.Join(" ", ex.Failures));
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder's own message names the key and the value: "Failed to convert configuration value 'Nope' at 'EventStore:Provider'…".
            return Fail(app, "The configuration is not valid: " + ex.Message);
        }
    }

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
