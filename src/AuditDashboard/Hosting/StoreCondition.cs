using AuditDashboard.Core.Live;


namespace AuditDashboard.Hosting;

/// <summary>
/// What the dashboard knows about its store beyond "it answers": whether it serves it read-only on purpose, and whether
/// the file passed its integrity check. Readiness reads it, every page's banner shows it.
/// </summary>
public sealed class StoreCondition(bool isReadOnly, bool checksIntegrity)
{
    private readonly ChangeSubscribers _subscribers = new();
    private Checked _integrity = new(checksIntegrity ? StoreIntegrity.Checking : StoreIntegrity.NotChecked, null);

    /// <summary>Opened read-only on purpose (EventStore:ReadOnly=true): reads are served, every write is refused.</summary>
    public bool IsReadOnly { get; } = isReadOnly;

    public StoreIntegrity Integrity => Volatile.Read(ref _integrity).State;

    /// <summary>What the integrity check said: the file and, when damaged, the problems found. Null until it has finished.</summary>
    public string? IntegrityReport => Volatile.Read(ref _integrity).Report;

    /// <summary>Lets readiness stop waiting for a check still running: see <see cref="StoreIntegrity.CheckingInBackground"/>.</summary>
    public void CheckRunsInBackground()
    {
        // Only from Checking: a check that already finished keeps its result.
        var current = Volatile.Read(ref _integrity);
        if (current.State == StoreIntegrity.Checking
            && ReferenceEquals(Interlocked.CompareExchange(ref _integrity, new Checked(StoreIntegrity.CheckingInBackground, null), current), current))
            _subscribers.Notify();
    }

    public void CheckFinished(bool intact, string report)
    {
        Volatile.Write(ref _integrity, new Checked(intact ? StoreIntegrity.Intact : StoreIntegrity.Damaged, report));
        _subscribers.Notify();
    }

    /// <summary>Calls <paramref name="onChange"/> whenever the condition changes, until the result is disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    // One reference, so a reader never sees a state with another state's report.
    private sealed record Checked(StoreIntegrity State, string? Report);
}
