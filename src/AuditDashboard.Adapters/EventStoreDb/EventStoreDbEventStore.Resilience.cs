using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace AuditDashboard.EventStoreDb;

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
/// </remarks>
public sealed partial class EventStoreDbEventStore
{
    /// <summary>How many times a call is made at most (the first try included).</summary>
    public const int MaxAttempts = 4;

    private static readonly ResiliencePropertyKey<Retry> RetryKey = new("esdb.retry");
    private static readonly ResiliencePropertyKey<Attempts> AttemptsKey = new("esdb.attempts");

    /// <summary>What may be retried for a call.</summary>
    private enum Retry
    {
        /// <summary>Nothing: one attempt (readiness checks).</summary>
        Never,

        /// <summary>Failures where the call did not take effect or may take effect twice harmlessly: unreachable node, leader change.</summary>
        Unreached,

        /// <summary>Those and a missed deadline: reads and calls whose repetition changes nothing.</summary>
        Idempotent,
    }

    private ResiliencePipeline BuildPipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is RpcException ex && IsTransient(ex, args.Context.Properties.GetValue(RetryKey, Retry.Never))),

            // The leader is named: go there at once.
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is RpcException ex && IsNotLeader(ex) && LeaderOf(ex) is not null ? TimeSpan.Zero : (TimeSpan?)null),

            // AttemptNumber counts the failed attempt from 0: the next one is AttemptNumber + 2 counted from 1.
            OnRetry = args =>
            {
                if (args.Outcome.Exception is RpcException ex && args.Context.Properties.TryGetValue(AttemptsKey, out var attempts))
                    LogRetrying(attempts.What, attempts.Endpoint?.ToString() ?? "?", IsNotLeader(ex) ? "NotLeader" : ex.StatusCode.ToString(), args.AttemptNumber + 2, MaxAttempts, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static bool IsTransient(RpcException ex, Retry retry) => retry switch
    {
        Retry.Never => false,
        _ when IsNotLeader(ex) => true,
        _ => ex.StatusCode == StatusCode.Unavailable || (ex.StatusCode == StatusCode.DeadlineExceeded && retry == Retry.Idempotent),
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> against the current node, again (on the node then current) after a transient
    /// failure; the last failure comes out as it was, <paramref name="attempts"/> saying where it happened.
    /// </summary>
    private async Task<T> RunAsync<T>(Retry retry, Attempts attempts, Func<NodeChannel, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (retry == Retry.Never)
            return await AttemptAsync(attempt, attempts, cancellationToken);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(RetryKey, retry);
            context.Properties.Set(AttemptsKey, attempts);
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<T>(state.Store.AttemptAsync(state.Attempt, state.Attempts, ctx.CancellationToken)),
                context,
                (Store: this, Attempt: attempt, Attempts: attempts));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<T> AttemptAsync<T>(Func<NodeChannel, CancellationToken, Task<T>> attempt, Attempts attempts, CancellationToken cancellationToken)
    {
        attempts.Count++;
        using var lease = await AcquireAsync(cancellationToken);
        attempts.Endpoint = lease.Node.Endpoint;
        try
        {
            return await attempt(lease.Node, cancellationToken);
        }
        catch (RpcException ex)
        {
            Observe(lease.Node, ex);
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke under a call (e.g. the node went away mid-append): as unavailable as a refused one.
            var unavailable = new RpcException(new Status(StatusCode.Unavailable, ex.Message, ex));
            Observe(lease.Node, unavailable);
            throw unavailable;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventStoreDB {What} failed at {Endpoint} ({Failure}); attempt {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    private partial void LogRetrying(string what, string endpoint, string failure, int attempt, int maxAttempts, double delayMs);

    /// <summary>One call's tries: how many, and the node the last one went to (for the error message).</summary>
    private sealed class Attempts(string what)
    {
        public string What => what;

        public int Count { get; set; }

        public EsdbEndpoint? Endpoint { get; set; }
    }
}
