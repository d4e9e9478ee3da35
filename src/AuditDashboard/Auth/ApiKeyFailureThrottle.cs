using System.Threading.RateLimiting;

namespace AuditDashboard.Auth;

/// <summary>
/// Limits how many wrong API keys one client address may present per window (<see cref="SignInThrottleOptions"/>).
/// Only failures count, which the rate-limiting middleware (it counts every request, before anyone knows whether the
/// key is right) cannot do, so this uses the same partitioned limiter directly. Once the budget is spent, every API
/// key from that address is refused until the window ends, the right one too: otherwise guessing would go on, with
/// the 429s merely marking the wrong guesses.
/// </summary>
public sealed class ApiKeyFailureThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public ApiKeyFailureThrottle(IOptions<SignInThrottleOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.ApiKeyFailuresPerClientAddress,
            Window = limits.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>How long <paramref name="address"/> must wait when its budget of failures is spent; null when it may try.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        // Asking for no permit tells whether any is left without spending one.
        using var lease = _failures.AttemptAcquire(address, permitCount: 0);
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    /// <summary>Spends one failure of <paramref name="address"/>'s budget.</summary>
    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}
