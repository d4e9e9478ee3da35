using System.Diagnostics;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Hosting;

/// <summary>
/// <c>rebuild-read-models</c>: throws the read models away and builds them again from the ledger, with a progress line.
/// For a dashboard that is stopped: a running one keeps applying events to the file meanwhile.
/// </summary>
internal static class RebuildReadModelsCommand
{
    public const string Usage = """
          AuditDashboard rebuild-read-models
              Empties the read models (ReadModels:ConnectionString; by default readmodels.db beside the ledger) and builds
              them again from the configured ledger, printing progress. Exits 0 once they have caught up with the ledger.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal)))
            throw new CommandLineException("rebuild-read-models takes settings only (--Section:Key=value).");

        var builder = WebApplication.CreateBuilder(args);
        builder.AddRootDevelopmentSettings();
        builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<ReadModelOptions>().BindConfiguration(ReadModelOptions.Section).ValidateDataAnnotations();
        await using var provider = builder.Services.BuildServiceProvider();
        var eventStoreOptions = provider.GetRequiredService<IOptions<EventStoreOptions>>().Value;
        var readModelOptions = provider.GetRequiredService<IOptions<ReadModelOptions>>().Value;

        // The ledger is only read: a missing one is an error, never created.
        var ledger = EventStoreFactory.Create(eventStoreOptions, builder.Environment.ContentRootPath, createIfMissing: false);
        await using var readModels = new SqliteReadModelStore(
            ReadModelLocation.Resolve(readModelOptions, eventStoreOptions, builder.Environment.ContentRootPath));
        return await LedgerCommand.RunAsync(ledger, "Rebuild cancelled; the read models are rebuilt at the next start.", async cancellationToken =>
        {
            await ledger.InitializeAsync(cancellationToken);
            var directory = new AccountDirectory(readModels, readModelOptions.BatchSize, readModelOptions.MarkInterval);
            await directory.OpenAsync(ledger, cancellationToken);
            await readModels.ClearAsync(cancellationToken);
            Console.WriteLine($"Rebuilding the read models in '{readModels.FilePath}' from the {eventStoreOptions.Provider} ledger…");

            var stopwatch = Stopwatch.StartNew();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromSeconds(2), stop.Token);
            var printed = false;
            while (!directory.ProjectionCaughtUp.IsCompleted && !following.IsCompleted)
            {
                printed = true;
                await Task.WhenAny(directory.ProjectionCaughtUp, following, Task.Delay(Console.IsOutputRedirected ? 1000 : 250, cancellationToken));
                PrintProgress(directory.Progress);
            }

            await stop.CancelAsync();
            await following;
            cancellationToken.ThrowIfCancellationRequested();
            var progress = directory.Progress;
            if (!printed)
                PrintProgress(progress);
            if (!Console.IsOutputRedirected)
                Console.WriteLine();
            var accounts = await readModels.CountAccountsAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Rebuilt the read models of {accounts:N0} accounts from {progress.EventsApplied:N0} events in {stopwatch.Elapsed.TotalSeconds:F2} s ({progress.EventsApplied / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):N0} events/s)."));
            return 0;
        });
    }

    private static void PrintProgress(ProjectionProgress progress)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"  {progress.Describe()} · {progress.Behind:N0} events behind");
        if (Console.IsOutputRedirected)
            Console.WriteLine(line);
        else
            Console.Write("\r" + line.PadRight(78));
    }
}
