using AuditDashboard.Configuration;
using AuditDashboard.EventStore;
using AuditDashboard.Seeding;
using Microsoft.Extensions.Options;

namespace AuditDashboard.Hosting;

/// <summary>
/// Opens the store before the server accepts requests (a store that cannot be opened stops the app), and writes the
/// demo accounts on first start when configured to.
/// </summary>
internal sealed partial class StoreStartup(
    IEventStore store,
    IOptions<EventStoreOptions> storeOptions,
    IOptions<DemoDataOptions> demoOptions,
    IHostEnvironment environment,
    ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var demo = demoOptions.Value;
        if (!demo.SeedOnFirstStart)
            return;

        await foreach (var _ in store.ReadAllAsync(Direction.Forwards, AllPosition.Start, 1, cancellationToken: cancellationToken))
            return;

        var started = TimeProvider.System.GetTimestamp();
        var clock = new SimulatedClock(DateTimeOffset.UtcNow);
        var seeding = EventStoreFactory.Create(storeOptions.Value, environment.ContentRootPath, clock);
        int written;
        try
        {
            await seeding.InitializeAsync(cancellationToken);
            written = await DemoSeeder.SeedDemoAsync(seeding, clock, demo.Accounts, seed: 20261127, cancellationToken);
        }
        finally
        {
            if (seeding is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }

        var elapsed = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        LogSeeded(logger, demo.Accounts, written, elapsed, environment.EnvironmentName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Accounts} demo accounts ({Events} events) in {Milliseconds:F0} ms into the empty {Environment} store")]
    private static partial void LogSeeded(ILogger logger, int accounts, int events, double milliseconds, string environment);
}
