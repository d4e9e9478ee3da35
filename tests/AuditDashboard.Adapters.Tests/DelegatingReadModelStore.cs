using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Adapters.Tests;

/// <summary>A read-model store that hands every call to another; a test overrides the calls it wants to change.</summary>
internal abstract class DelegatingReadModelStore(IReadModelStore inner) : IReadModelStore
{
    public string Location => inner.Location;

    public virtual Task<EventSearchResult> SearchEventsAsync(EventQuery query, CancellationToken cancellationToken = default) =>
        inner.SearchEventsAsync(query, cancellationToken);

    public virtual Task CompleteFirstBuildAsync(CancellationToken cancellationToken = default) => inner.CompleteFirstBuildAsync(cancellationToken);

    public Task<ReadModelOpening> OpenAsync(string? ledgerIdentity, CancellationToken cancellationToken = default) => inner.OpenAsync(ledgerIdentity, cancellationToken);

    public Task<long?> ReadCheckpointAsync(string projection, CancellationToken cancellationToken = default) => inner.ReadCheckpointAsync(projection, cancellationToken);

    public virtual Task<IReadModelTransaction> BeginAsync(CancellationToken cancellationToken = default) => inner.BeginAsync(cancellationToken);

    public Task ClearAsync(CancellationToken cancellationToken = default) => inner.ClearAsync(cancellationToken);

    public Task<AccountState?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) => inner.FindAccountAsync(accountId, cancellationToken);

    public Task<AccountState?> FindMarkAtRevisionAsync(string accountId, long revision, CancellationToken cancellationToken = default) =>
        inner.FindMarkAtRevisionAsync(accountId, revision, cancellationToken);

    public Task<AccountState?> FindMarkAtTimeAsync(string accountId, DateTimeOffset moment, CancellationToken cancellationToken = default) =>
        inner.FindMarkAtTimeAsync(accountId, moment, cancellationToken);

    public Task<IReadOnlyList<AccountState>> ReadMarksAsync(string accountId, CancellationToken cancellationToken = default) => inner.ReadMarksAsync(accountId, cancellationToken);


    public Task<IReadOnlyList<RecordedEvent>> ReadCommandEventsAsync(
        IReadOnlyCollection<string> eventTypes, long upTo, DateTimeOffset? recordedSince = null, CancellationToken cancellationToken = default) =>
        inner.ReadCommandEventsAsync(eventTypes, upTo, recordedSince, cancellationToken);

    public Task<IReadOnlyList<RecordedEvent>> ReadAccountCommandEventsAsync(string accountId, CancellationToken cancellationToken = default) =>
        inner.ReadAccountCommandEventsAsync(accountId, cancellationToken);

    public Task<long?> FindEventRevisionAsync(string accountId, Guid eventId, CancellationToken cancellationToken = default) =>
        inner.FindEventRevisionAsync(accountId, eventId, cancellationToken);

    public Task<RecordedEvent?> FindCommandEventAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        inner.FindCommandEventAsync(eventId, cancellationToken);

    public Task<int> CountAccountsAsync(CancellationToken cancellationToken = default) => inner.CountAccountsAsync(cancellationToken);

    public Task<AccountPage> SearchAccountsAsync(AccountQuery query, CancellationToken cancellationToken = default) => inner.SearchAccountsAsync(query, cancellationToken);

    public Task<EventCounts> CountByPeriodAsync(EventQuery query, EventPeriod period, EventSeries series, TimeSpan offset, CancellationToken cancellationToken = default) =>
        inner.CountByPeriodAsync(query, period, series, offset, cancellationToken);
}
