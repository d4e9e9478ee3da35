namespace AuditDashboard.TestSupport;

/// <summary>
/// Waits for something that a background loop, a server or another process brings about by asking again every
/// <see cref="Interval"/>, with a bound: when it has not come within the patience, the test fails with a message naming
/// what it waited for (and, when given, what was last seen) instead of hanging until the test's own timeout.
/// Compiled into every test project from tests/TestSupport.
/// </summary>
public static class Eventually
{
    /// <summary>How long to wait between two looks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds, for at most <paramref name="patience"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan patience, CancellationToken cancellationToken, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(_ => Task.FromResult(condition()), what, patience, cancellationToken, lastSeen);
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, for at most <paramref name="patience"/>. The condition is handed a
    /// token cancelled at the end of the patience, so a look that itself hangs (a request, a read) ends in time too.
    /// </summary>
    public static async Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition, string what, TimeSpan patience, CancellationToken cancellationToken, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        try
        {
            while (!await condition(timeout.Token))
                await Task.Delay(Interval, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Waited {patience.TotalSeconds:0.#} s for {what}, in vain{(lastSeen is null ? "" : "; " + lastSeen())}.");
        }
    }
}
