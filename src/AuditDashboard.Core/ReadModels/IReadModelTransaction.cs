using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.ReadModels;

/// <summary>
/// One unit of work of one or more projections: their rows and their checkpoints become visible together, or not at all.
/// Further projections add their own row operations here.
/// </summary>
public interface IReadModelTransaction : IAsyncDisposable
{
    /// <summary>The account as this transaction sees it (its own writes included), or null when the directory lacks it.</summary>
    Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces these accounts' rows.</summary>
    Task PutAccountsAsync(IReadOnlyCollection<AccountState> accounts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps these states as marks: the state after the event at each one's revision, one per account and revision, where
    /// a replay of that account starts folding instead of at its first event. A mark put again is replaced.
    /// </summary>
    Task PutMarksAsync(IReadOnlyCollection<AccountState> marks, CancellationToken cancellationToken = default);

    /// <summary>Puts these events into the event index; an event it holds already (by its position) is kept as it is.</summary>
    Task PutEventsAsync(IReadOnlyCollection<IndexedEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps these account events whole: the events commands write (corrections, proposals and decisions; see
    /// <see cref="AccountEventTypes.Commands"/>), a few in the ledger, which the read models held in memory (proposals,
    /// each user's recent corrections) are loaded from at a start and command ids are looked up in. An event it holds
    /// already (by its position) is kept as it is.
    /// </summary>
    Task PutCommandEventsAsync(IReadOnlyCollection<RecordedEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="projection"/> has applied everything up to <paramref name="position"/>.</summary>
    Task SetCheckpointAsync(string projection, long position, CancellationToken cancellationToken = default);

    Task CommitAsync(CancellationToken cancellationToken = default);
}
