using AuditDashboard.Core.Export;
namespace AuditDashboard.Access;

/// <summary>
/// Appends the access recorder's batches as their windows end, and every pending one when the app stops. The last flush
/// runs once the web server has stopped (<see cref="StoppedAsync"/>), so a look served while requests drained is on the
/// record too. A store that does not answer is logged and tried again; it never stops the app.
/// </summary>
public sealed partial class AccessRecorderService(AccessRecorder recorder, TimeProvider time, ILogger<AccessRecorderService> logger)
    : BackgroundService, IHostedLifecycleService
{
    // A shutdown waits this long at most for the store; the host's own shutdown timeout may have run out already.
    private static readonly TimeSpan FinalFlushLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FinalRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How often due batches are looked for: a batch reaches the store at most this long after its window ends.</summary>
    internal TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(recorder.Window.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                Report(await recorder.FlushDueAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(FinalFlushLimit);
        try
        {
            while (true)
            {
                var flush = await recorder.FlushAllAsync(limit.Token);
                Report(flush);
                if (flush.Failure is null)
                    return;
                await Task.Delay(FinalRetryDelay, time, limit.Token);
            }
        }
        catch (OperationCanceledException)
        {
            LogLostAtShutdown(recorder.Pending, FinalFlushLimit.TotalSeconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report(AccessFlush flush)
    {
        if (flush.Failure is { } failure)
            LogAppendFailed(failure, flush.Pending);
        if (flush.Dropped > 0)
            LogDropped(flush.Dropped);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not append looks at account data to the access log; {Pending} batches stay pending and are tried again.")]
    private partial void LogAppendFailed(Exception exception, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "The access log's pending looks exceeded AccessLog:MaxPending while the store did not answer: {Dropped} batches were dropped.")]
    private partial void LogDropped(int dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Pending} batches of looks at account data could not be appended to the access log within {Seconds} s of shutdown and are lost.")]
    private partial void LogLostAtShutdown(int pending, double seconds);
}
