using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Adapters.Tests.Reports;

/// <summary>A read-model store that answers every event search in pages of a few events, so a reader must follow the continuations.</summary>
internal sealed class SmallPages(IReadModelStore inner, int limit = 3) : DelegatingReadModelStore(inner)
{
    public override Task<EventSearchResult> SearchEventsAsync(EventQuery query, CancellationToken cancellationToken = default) =>
        base.SearchEventsAsync(query with { Limit = Math.Min(query.Limit, limit) }, cancellationToken);
}
