using AuditDashboard.Seeding;

namespace AuditDashboard.Hosting;

/// <summary>
/// Opens the store before the server accepts requests, and writes the demo accounts on first start when configured to.
/// An embedded store that cannot be opened stops the app (the file is wrong, and will stay wrong). An EventStoreDB server
/// that does not answer does not: the app starts, <c>/health/ready</c> says the store is down, and the store is tried
/// again every few seconds until it answers.
/// </summary>
internal sealed partial class StoreStartup(
    IEventStore store,
    IOptions<EventStoreOptions> storeOptions,
    IOptions<DemoDataOptions> demoOptions,
    IHostEnvironment environment,
    ILogger<StoreStartup> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task? _retrying;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch (EventStoreUnavailableException ex) when (storeOptions.Value.Provider == EventStoreProvider.EventStoreDb)
        {
            LogUnreachable(logger, ex.Message, RetryEvery.TotalSeconds);
            _retrying = RetryAsync(_stopping.Token);
            return;
        }

        await SeedIfEmptyAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // After a failed start the host may stop this service after disposing it.
        if (Volatile.Read(ref _disposed) != 0)
            return;
        await _stopping.CancelAsync();
        if (_retrying is not null)
            await _retrying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(RetryEvery, cancellationToken);
            try
            {
                await store.InitializeAsync(cancellationToken);
                LogReachable(logger);
                await SeedIfEmptyAsync(cancellationToken);
                return;
            }
            catch (EventStoreUnavailableException)
            {
                // Still away: /health/ready says so; try again.
            }
        }
    }

    private async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        var demo = demoOptions.Value;
        if (storeOptions.Value.ReadOnly)
        {
            LogReadOnly(logger);
            return;
        }

        if (!demo.SeedOnFirstStart)
            return;

        // "Empty" means no accounts: an EventStoreDB server's $all is never empty (it holds its own system events).
        await foreach (var _ in store.ReadAllAsync(Direction.Forwards, AllPosition.Start, 1, AccountIds.StreamPrefix, cancellationToken))
            return;

        var started = TimeProvider.System.GetTimestamp();
        var clock = new SimulatedClock(DateTimeOffset.UtcNow);
        var seeding = EventStoreFactory.Create(storeOptions.Value, environment, clock);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event store does not answer ({Reason}); the dashboard starts anyway and tries again every {Seconds} s")]
    private static partial void LogUnreachable(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event store is served read-only on purpose (EventStore:ReadOnly=true): corrections, approvals and exports are refused, and no demo accounts are written")]
    private static partial void LogReadOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event store answers again")]
    private static partial void LogReachable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Accounts} demo accounts ({Events} events) in {Milliseconds:F0} ms into the empty {Environment} store")]
    private static partial void LogSeeded(ILogger logger, int accounts, int events, double milliseconds, string environment);
}
