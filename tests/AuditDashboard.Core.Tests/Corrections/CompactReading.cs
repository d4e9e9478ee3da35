using AuditDashboard.Core.Corrections;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Core.Tests.Corrections;

/// <summary>
/// Makes a correction service read every account the directory holds as a compact snapshot (see
/// <see cref="CorrectionReads"/>): an account directory follows the store, with a mark every two events, and the reads
/// look at a cache of timelines nobody loads. Stops the directory when disposed.
/// </summary>
internal sealed class CompactReading : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _following;

    private CompactReading(CorrectionReads reads, CancellationTokenSource stop, Task following)
    {
        Reads = reads;
        _stop = stop;
        _following = following;
    }

    public CorrectionReads Reads { get; }

    public static async Task<CompactReading> StartAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var directory = new AccountDirectory(new InMemoryReadModelStore(), markInterval: 2);
        var stop = new CancellationTokenSource();
        var following = directory.FollowAsync(store, TimeProvider.System, TimeSpan.FromMilliseconds(20), stop.Token);
        await directory.ProjectionCaughtUp.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var neverLoaded = new AccountTimelines(store);
        return new CompactReading(new CorrectionReads(neverLoaded, new AccountHistory(store, directory.Store), directory, compactAbove: 0), stop, following);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _following;
        _stop.Dispose();
    }
}
