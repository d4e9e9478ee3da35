namespace AuditDashboard.Adapters.Embedded;

/// <summary>Wakes live subscribers when this process appends; each pulse completes the task that was current before it.</summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>
    /// Completes at the next pulse. Take it before reading: an append that commits after the read
    /// pulses after the task was taken, so a waiter can never sleep through it.
    /// </summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    // Continuations run on the thread pool, never inline on the appending thread while it holds the write lock.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
