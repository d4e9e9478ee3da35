using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// Retries of transient failures: a node that cannot be reached (Unavailable), a leader change ("not leader": the call
/// goes on to the leader named, at once) and, for calls that may safely run twice, a missed deadline. Bounded
/// (<see cref="MaxAttempts"/> attempts, exponential backoff with jitter from 100 ms, at most 2 s apart) and cut short by the
/// caller's cancellation.
/// </summary>
/// <remarks>
/// Only whole calls are retried, and streaming reads only until their first answer, so nothing the caller saw is
/// delivered twice. Appends are retried too: EventStoreDB recognises the same event ids at the same expected revision
/// and answers the earlier result instead of writing them again. A conflict, a missing group, a denial or an invalid
/// request is never retried; neither are persistent-subscription acks and nacks, which go up a call that is not repeated.
/// A call that failed for good comes out as the port's exception (<see cref="Translate(RpcException, EsdbAttempts, CancellationToken)"/>).
/// </remarks>
internal sealed partial class EsdbCalls
{
    /// <summary>How many times a call is made at most (the first try included).</summary>
    public const int MaxAttempts = 4;

    private static readonly ResiliencePropertyKey<EsdbRetry> RetryKey = new("esdb.retry");
    private static readonly ResiliencePropertyKey<EsdbAttempts> AttemptsKey = new("esdb.attempts");

    private readonly EsdbNodes _nodes;
    private readonly EsdbConnectionString _settings;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public EsdbCalls(EsdbNodes nodes, EsdbConnectionString settings, ILogger logger)
    {
        _nodes = nodes;
        _settings = settings;
        _logger = logger;
        _pipeline = BuildPipeline();
    }

    /// <summary>The headers every call sends (credentials, leader requirement).</summary>
    public Metadata Headers => _nodes.Headers;

    /// <summary>How long a call may take (the connection string's defaultDeadline).</summary>
    public TimeSpan DefaultDeadline => _settings.DefaultDeadline;

    /// <summary>The deadline of a call that starts now.</summary>
    public DateTime Deadline() => DateTime.UtcNow + _settings.DefaultDeadline;

    private ResiliencePipeline BuildPipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is RpcException ex && IsTransient(ex, args.Context.Properties.GetValue(RetryKey, EsdbRetry.Never))),

            // The leader is named: go there at once.
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is RpcException ex && EsdbNodes.IsNotLeader(ex) && EsdbNodes.LeaderOf(ex) is not null ? TimeSpan.Zero : (TimeSpan?)null),

            // AttemptNumber counts the failed attempt from 0: the next one is AttemptNumber + 2 counted from 1.
            OnRetry = args =>
            {
                if (args.Outcome.Exception is RpcException ex && args.Context.Properties.TryGetValue(AttemptsKey, out var attempts))
                    LogRetrying(attempts.What, attempts.Endpoint?.ToString() ?? "?", EsdbNodes.IsNotLeader(ex) ? "NotLeader" : ex.StatusCode.ToString(), args.AttemptNumber + 2, MaxAttempts, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static bool IsTransient(RpcException ex, EsdbRetry retry) => retry switch
    {
        EsdbRetry.Never => false,
        _ when EsdbNodes.IsNotLeader(ex) => true,
        _ => ex.StatusCode == StatusCode.Unavailable || (ex.StatusCode == StatusCode.DeadlineExceeded && retry == EsdbRetry.Idempotent),
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> against the current node, again (on the node then current) after a transient
    /// failure; the last failure comes out as it was, <paramref name="attempts"/> saying where it happened.
    /// </summary>
    public async Task<T> RunAsync<T>(EsdbRetry retry, EsdbAttempts attempts, Func<EsdbNodeChannel, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (retry == EsdbRetry.Never)
            return await AttemptAsync(attempt, attempts, cancellationToken);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(RetryKey, retry);
            context.Properties.Set(AttemptsKey, attempts);
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<T>(state.Calls.AttemptAsync(state.Attempt, state.Attempts, ctx.CancellationToken)),
                context,
                (Calls: this, Attempt: attempt, Attempts: attempts));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<T> AttemptAsync<T>(Func<EsdbNodeChannel, CancellationToken, Task<T>> attempt, EsdbAttempts attempts, CancellationToken cancellationToken)
    {
        attempts.Count++;
        using var lease = await _nodes.AcquireAsync(cancellationToken);
        attempts.Endpoint = lease.Node.Endpoint;
        try
        {
            return await attempt(lease.Node, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Internal && ex.Status.DebugException is HttpRequestException or IOException
            && !cancellationToken.IsCancellationRequested)
        {
            // The client reports a connection the node closed as it started the call (an HTTP/2 GOAWAY from a node
            // shutting down) as Internal: it is as unavailable as a refused connection.
            throw Unavailable(lease.Node, ex.Status.Detail, ex.Status.DebugException);
        }
        catch (RpcException ex)
        {
            _nodes.Observe(lease.Node, ex);
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke under a call (e.g. the node went away mid-append): as unavailable as a refused one.
            throw Unavailable(lease.Node, ex.Message, ex);
        }
    }

    // A broken connection, told to the nodes (so the next attempt may go elsewhere) as the failure a refused one is.
    private RpcException Unavailable(EsdbNodeChannel node, string detail, Exception? cause)
    {
        var unavailable = new RpcException(new Status(StatusCode.Unavailable, detail, cause));
        _nodes.Observe(node, unavailable);
        return unavailable;
    }

    public Exception Translate(RpcException ex, EsdbAttempts attempts, CancellationToken cancellationToken) =>
        Translate(ex, attempts.What, attempts.Endpoint ?? _nodes.Endpoint, attempts.Count, cancellationToken);

    /// <summary>What a failed call means for the caller: the store is unusable (an operator can act), or a bad request.</summary>
    public Exception Translate(RpcException ex, string what, EsdbEndpoint endpoint, int attempts, CancellationToken cancellationToken)
    {
        if (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            return new OperationCanceledException(ex.Message, ex, cancellationToken);

        var serverException = ex.Trailers.GetValue("exception");
        var where = $"EventStoreDB at {endpoint}";
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : "";
        return ex.StatusCode switch
        {
            _ when serverException == "stream-deleted" => new StreamDeletedException(
                ex.Trailers.GetValue("stream-name") ?? "",
                $"{where} refused the {what}: the stream '{ex.Trailers.GetValue("stream-name")}' was deleted for good (tombstoned); nothing was written.",
                ex),
            _ when serverException == "maximum-append-size-exceeded" => new EventTooLargeException(
                long.TryParse(ex.Trailers.GetValue("maximum-append-size"), NumberStyles.None, CultureInfo.InvariantCulture, out var maximum)
                    ? $"{where} refused the {what}: it is larger than the {maximum:N0} bytes the server accepts in one append; nothing was written."
                    : $"{where} refused the {what}: it is larger than the server accepts in one append; nothing was written.",
                maximum > 0 ? maximum : (long?)null,
                ex),
            _ when serverException == EsdbNodes.NotLeaderException => new EventStoreUnavailableException(
                EsdbNodes.LeaderOf(ex) is { } leader
                    ? $"{where} is not the cluster leader and sent the {what} on to {leader}, which did not take it either{tries}; the cluster may be electing a leader."
                    : $"{where} is not the cluster leader and knows no leader to send the {what} to{tries}; the cluster may be electing a leader.",
                ex),
            StatusCode.Unavailable => new EventStoreUnavailableException($"{where} could not be reached for the {what}{tries}: {ex.Status.Detail}", ex),
            StatusCode.DeadlineExceeded => new EventStoreUnavailableException($"{where} did not answer the {what} within {_settings.DefaultDeadline.TotalSeconds:0.#} s (defaultDeadline){tries}.", ex),
            StatusCode.Unauthenticated => new EventStoreUnavailableException($"{where} refused the credentials of the connection string for the {what}.", ex),
            StatusCode.PermissionDenied => new EventStoreUnavailableException($"{where} denied the {what} to the connection string's user ({serverException ?? ex.Status.Detail}).", ex),
            StatusCode.InvalidArgument => new ArgumentException($"{where} refused the {what} as invalid: {ex.Status.Detail}", ex),
            _ => new EventStoreUnavailableException($"{where} failed the {what}: {ex.StatusCode} {serverException} {ex.Status.Detail}".TrimEnd(), ex),
        };
    }

    /// <summary>As <see cref="Translate(RpcException, EsdbAttempts, CancellationToken)"/>, a call about a persistent subscription group: an existing or missing group is named as such.</summary>
    public Exception TranslatePersistent(RpcException ex, string groupName, EsdbAttempts attempts, CancellationToken cancellationToken) => ex.StatusCode switch
    {
        _ when EsdbNodes.IsNotLeader(ex) => Translate(ex, attempts, cancellationToken),
        StatusCode.AlreadyExists => new PersistentSubscriptionExistsException(groupName),
        StatusCode.NotFound => new PersistentSubscriptionNotFoundException(groupName),
        _ => Translate(ex, attempts, cancellationToken),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventStoreDB {What} failed at {Endpoint} ({Failure}); attempt {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    private partial void LogRetrying(string what, string endpoint, string failure, int attempt, int maxAttempts, double delayMs);
}
