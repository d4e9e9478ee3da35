using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.ReadModels;

/// <summary>
/// The read-model store port: where projections keep the rows pages list and search, each with its checkpoint (the
/// <c>$all</c> position it has applied). Rows and checkpoint are written by one <see cref="IReadModelTransaction"/>, so a
/// crash neither applies an event twice nor skips one. Everything here can be thrown away and rebuilt from the ledger.
/// </summary>
public interface IReadModelStore
{
    /// <summary>Where the read models live, for messages (a file path, a server).</summary>
    string Location { get; }

    /// <summary>
    /// Creates what the store needs, or empties it when it cannot be trusted: another schema, a damaged file, or rows
    /// built from another ledger than <paramref name="ledgerIdentity"/> (null: not known yet, not compared). Calling it
    /// again does nothing. Throws <see cref="ReadModelStoreUnavailableException"/> when the store cannot be written.
    /// </summary>
    Task<ReadModelOpening> OpenAsync(string? ledgerIdentity, CancellationToken cancellationToken = default);

    /// <summary>The position <paramref name="projection"/> has applied, or null when it has applied nothing.</summary>
    Task<long?> ReadCheckpointAsync(string projection, CancellationToken cancellationToken = default);

    /// <summary>Starts a unit of work; disposing it without <see cref="IReadModelTransaction.CommitAsync"/> writes nothing.</summary>
    Task<IReadModelTransaction> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Called by the account directory each time it has caught up with the ledger. A store may put work off while the read
    /// models are built from nothing (the SQLite store writes the event index's rows alone, and makes its lookups in one
    /// pass when this is called); until then a search of the event index may find nothing. Does nothing when nothing waits.
    /// </summary>
    Task CompleteFirstBuildAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops every read model and checkpoint, so each projection starts again from the first event.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The account's last mark (a state kept every so many events, see <see cref="IReadModelTransaction.PutMarksAsync"/>)
    /// at or before <paramref name="revision"/>, or null when it has none there.
    /// </summary>
    Task<AccountState?> FindMarkAtRevisionAsync(string accountId, long revision, CancellationToken cancellationToken = default);

    /// <summary>
    /// The account's last mark whose event was recorded at or before <paramref name="moment"/>, or null when it has none
    /// so early.
    /// </summary>
    Task<AccountState?> FindMarkAtTimeAsync(string accountId, DateTimeOffset moment, CancellationToken cancellationToken = default);

    /// <summary>Every mark of the account, oldest first (about one every thousand events: a chart's worth).</summary>
    Task<IReadOnlyList<AccountState>> ReadMarksAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The kept command events (see <see cref="IReadModelTransaction.PutCommandEventsAsync"/>) of these types at or
    /// before position <paramref name="upTo"/>, oldest first; when <paramref name="recordedSince"/> is given, only those
    /// recorded at or after it.
    /// </summary>
    Task<IReadOnlyList<RecordedEvent>> ReadCommandEventsAsync(
        IReadOnlyCollection<string> eventTypes, long upTo, DateTimeOffset? recordedSince = null, CancellationToken cancellationToken = default);

    /// <summary>The account's kept command events, oldest first (a few, whatever the account's length).</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAccountCommandEventsAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The revision of the account's event <paramref name="eventId"/> in the event index (the first, should the account
    /// hold it twice), or null when the index holds none: reads the account's rows, not the ledger.
    /// </summary>
    Task<long?> FindEventRevisionAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>The first kept command event (by position) whose event id is <paramref name="eventId"/>, or null.</summary>
    Task<RecordedEvent?> FindCommandEventAsync(Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>How many accounts the directory holds.</summary>
    Task<int> CountAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Accounts matching <paramref name="query"/>, ordered by id (ordinal). A term of three characters or more matches
    /// ids and owners containing it; a shorter one matches ids starting with it; both ignore case.
    /// </summary>
    Task<AccountPage> SearchAccountsAsync(AccountQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the account events matching <paramref name="query"/> from the event index, in the order of their recorded
    /// times (newest first unless asked otherwise), cut by key after <see cref="EventQuery.After"/>; with the count of all matches unless the
    /// query says not to count (at most <see cref="EventQuery.CountCap"/>).
    /// </summary>
    Task<EventSearchResult> SearchEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The matches of <paramref name="query"/> (its page aside) counted by <paramref name="period"/> in a zone
    /// <paramref name="offset"/> from UTC and by <paramref name="series"/>: the newest <see cref="EventCounts.MaxSampled"/> at most.
    /// </summary>
    Task<EventCounts> CountByPeriodAsync(EventQuery query, EventPeriod period, EventSeries series, TimeSpan offset, CancellationToken cancellationToken = default);
}
