using AuditDashboard.Core.Live;


namespace AuditDashboard.Core.Integrity;

/// <summary>
/// What the dashboard knows about its ledger's integrity, shared by the sealer (which writes it), the readiness check, the
/// banner on every page and the Integrity page (which read it and subscribe to its changes).
/// </summary>
public sealed class LedgerIntegrity
{
    private readonly Lock _gate = new();
    private readonly ChangeSubscribers _subscribers = new();
    private TaskCompletionSource _fullCheckRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The newest seal, verified or written by this instance.</summary>
    public LedgerSeal? LastSeal { get; private set; }

    /// <summary>The first mismatch known, or null. While set, the dashboard is not ready and every page says so.</summary>
    public IntegrityViolation? Violation { get; private set; }

    /// <summary>The last whole pass, or null before the first has finished.</summary>
    public FullCheckReport? LastFullCheck { get; private set; }

    /// <summary>The pass under way, or null.</summary>
    public LedgerCheckProgress? Checking { get; private set; }

    /// <summary>The last thing that kept the sealer from working (the store away, another sealer), cleared when it works again.</summary>
    public string? Problem { get; private set; }

    /// <summary>The leaves as sealed, for proofs; null until the sealer has opened them.</summary>
    public ILeafHashes? Leaves { get; private set; }

    public MerkleSubtrees? Tree { get; private set; }

    /// <summary>Calls <paramref name="onChange"/> after every change until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    /// <summary>Asks for a whole pass over the ledger; true when one was not already asked for or running.</summary>
    public bool RequestFullCheck()
    {
        lock (_gate)
        {
            if (Checking is not null)
                return false;
            return _fullCheckRequested.TrySetResult();
        }
    }

    /// <summary>Completes when a whole pass is asked for.</summary>
    public Task FullCheckRequested
    {
        get
        {
            lock (_gate)
                return _fullCheckRequested.Task;
        }
    }

    public void UseLeaves(ILeafHashes leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        Leaves = leaves;
        Tree = new MerkleSubtrees(leaves);
        Notify();
    }

    public void Sealed(LedgerSeal seal)
    {
        LastSeal = seal;
        Problem = null;
        Notify();
    }

    public void Progress(LedgerCheckProgress progress)
    {
        Checking = progress;
        Notify();
    }

    public void FullCheckFinished(LedgerCheckResult result, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            Checking = null;
            if (_fullCheckRequested.Task.IsCompleted)
                _fullCheckRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var summary = result.Violation?.Description
            ?? $"Intact: {result.LeavesChecked:N0} events match {result.SealsChecked:N0} seals.";
        LastFullCheck = new FullCheckReport(at, result.IsIntact, result.LeavesChecked, result.SealsChecked, result.Elapsed, summary);
        Violation = result.Violation;
        Notify();
    }

    /// <summary>A check that was not a whole pass found a mismatch.</summary>
    public void Found(IntegrityViolation violation)
    {
        Violation = violation;
        Notify();
    }

    public void Failed(string problem)
    {
        Problem = problem;
        lock (_gate)
            Checking = null;
        Notify();
    }

    private void Notify() => _subscribers.Notify();
}
