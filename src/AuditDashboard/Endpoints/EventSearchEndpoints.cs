using AuditDashboard.Access;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Endpoints;

/// <summary>The search across every account's events, over the event index.</summary>
internal static class EventSearchEndpoints
{
    public static void MapEventSearchEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/events").RequireAuthorization(Policies.SearchEvents).WithTags("Events");
        events.MapGet("/search", SearchAsync);
    }

    /// <summary>
    /// A page of the events matching the filters (see <see cref="EventSearchParameters"/>), newest first unless
    /// <c>order=asc</c>, with the count of all matches (capped: then <c>totalIsCapped</c>) and the <c>continuation</c> of
    /// the next page. <c>complete</c> is false while the index is still being built from the ledger. Every search that ran
    /// is on the record (the access log, in batches).
    /// </summary>
    private static async Task<IResult> SearchAsync(HttpContext context, AccountDirectory directory, AccessRecorder access, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (EventSearchParameters.Parse(name => context.Request.Query[name].Where(v => v is not null).Select(v => v!).ToList(), errors) is not { } query)
            return Results.ValidationProblem(errors, title: "The search is not valid.");

        var result = await directory.Store.SearchEventsAsync(query, cancellationToken);
        access.RecordSearch(context, EventSearchParameters.Describe(query));
        return Results.Ok(new EventSearchDto(
            result.Items.Select(SearchedEventDto.From).ToList(),
            result.Total,
            result.TotalIsCapped,
            result.Continuation?.ToString(),
            directory.IsCaughtUp));
    }
}

/// <summary>One event a search found, under the names the events endpoint uses where it has them.</summary>
internal sealed record SearchedEventDto(
    string AccountId,
    long Revision,
    long Position,
    Guid EventId,
    string EventType,
    DateTimeOffset Recorded,
    DateTimeOffset EffectiveAt,
    string? Actor,
    string? Reason,
    decimal? Amount,
    string? Currency,
    string? Reference,
    string? CorrelationId,
    string? CausationId,
    string? Source,
    bool Flagged)
{
    public static SearchedEventDto From(IndexedEvent e) => new(
        e.AccountId, e.Revision, e.Position, e.EventId, e.EventType, e.Recorded, e.EffectiveAt, e.Actor, e.Reason, e.Amount,
        e.Currency, e.Reference, e.CorrelationId, e.CausationId, e.Source, e.Flagged);
}

/// <param name="Continuation">The <c>continuation</c> of the next page, or null when this page is the last.</param>
/// <param name="Complete">False while the event index is still being built from the ledger: later events are not found yet.</param>
internal sealed record EventSearchDto(IReadOnlyList<SearchedEventDto> Items, long? Total, bool TotalIsCapped, string? Continuation, bool Complete);
