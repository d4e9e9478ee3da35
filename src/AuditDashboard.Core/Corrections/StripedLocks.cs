namespace AuditDashboard.Core.Corrections;

/// <summary>
/// A fixed set of async locks picked by a key's hash: commands with the same key wait for each other; two keys that
/// share a lock wait needlessly, which costs nothing at the rate people post corrections. Taking locks from two sets
/// always in the same order (one set, then the other) cannot deadlock.
/// </summary>
internal sealed class StripedLocks
{
    private readonly SemaphoreSlim[] _locks;

    public StripedLocks(int count) =>
        _locks = Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Held> EnterAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _locks[(StringComparer.OrdinalIgnoreCase.GetHashCode(key) & int.MaxValue) % _locks.Length];
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    internal readonly struct Held(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
