namespace AuditDashboard.Core.Live;

/// <summary>
/// The one way a page hears that something it shows has changed: a service keeps one of these, hands out
/// <see cref="Subscribe"/>, and calls <see cref="Notify"/> after each change. A subscriber reads the service again
/// itself (a page calls <c>InvokeAsync(StateHasChanged)</c> or its reload), so nothing is passed along and a
/// notification that arrives late never carries stale data.
/// </summary>
public sealed class ChangeSubscribers
{
    private readonly Lock _gate = new();

    // Copied on write, so notifying (on every applied event, often with nobody listening) takes no lock and allocates nothing.
    private volatile Func<Task>[] _subscribers = [];

    /// <summary>True while anyone listens.</summary>
    public bool Any => _subscribers.Length > 0;

    /// <summary>Calls <paramref name="onChange"/> after every change until the result is disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
            _subscribers = [.. _subscribers, onChange];
        return new Subscription(this, onChange);
    }

    /// <summary>
    /// Tells every subscriber, on the caller's thread up to each subscriber's first await, without waiting for them: a
    /// slow page must not hold up the feed that changed the data.
    /// </summary>
    public void Notify()
    {
        foreach (var onChange in _subscribers)
            _ = RunAsync(onChange);
    }

    private static async Task RunAsync(Func<Task> onChange)
    {
        try
        {
            await onChange();
        }
#pragma warning disable CA1031 // A subscriber's failure (typically a page whose circuit has gone) must not reach the notifier or the other subscribers.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void Unsubscribe(Func<Task> onChange)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, onChange);
            if (index >= 0)
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
        }
    }

    private sealed class Subscription(ChangeSubscribers owner, Func<Task> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            // Once only: the same callback may be subscribed twice, and each subscription removes its own.
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(onChange);
        }
    }
}
