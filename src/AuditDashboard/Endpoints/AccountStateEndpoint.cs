namespace AuditDashboard.Endpoints;

/// <summary>
/// <c>GET /api/accounts/{id}/state?revision=k</c> or <c>?at=&lt;ISO-8601 with offset&gt;</c>, optionally
/// <c>&amp;view=recorded|corrected</c>: the account as it was after one event, answered from the shared timeline
/// without reading the store again. Neither parameter: the latest state.
/// </summary>
internal static class AccountStateEndpoint
{
    public const string RecordedView = "recorded";
    public const string CorrectedView = "corrected";

    /// <summary>Maps the endpoint on the accounts group, so it shares the group's authorization.</summary>
    public static RouteHandlerBuilder MapAccountStateEndpoint(this RouteGroupBuilder accounts) =>
        accounts.MapGet("/{id}/state", GetState);

    private static async Task<IResult> GetState(
        AccountTimelines timelines, string id, string? revision, string? at, string? view, CancellationToken cancellationToken)
    {
        // The account first: the valid revisions depend on it, and a missing account is the answer whatever the query.
        var timeline = await timelines.GetAsync(id, cancellationToken);
        if (timeline is null)
            return AccountEndpoints.AccountNotFound(id);

        var snapshot = timeline.Snapshot;
        var errors = new Dictionary<string, string[]>();
        var replayView = ParseView(view, errors);
        DateTimeOffset? moment = null;
        long? wantedRevision = null;
        if (!string.IsNullOrEmpty(revision) && !string.IsNullOrEmpty(at))
        {
            const string both = "Give either revision or at, not both.";
            errors["revision"] = [both];
            errors["at"] = [both];
        }
        else if (!string.IsNullOrEmpty(at))
        {
            // No zone: an API caller states the offset; guessing the server's zone would answer another moment.
            if (Moments.TryParse(at, zone: null, out var parsed, out var error))
                moment = parsed;
            else
                errors["at"] = [error];
        }
        else if (!string.IsNullOrEmpty(revision))
        {
            wantedRevision = ParseRevision(revision, snapshot, errors);
        }

        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        var replay = AccountReplay.Of(timeline.AccountId, snapshot, replayView);
        ReplayPoint point;
        if (wantedRevision is { } r)
        {
            if (replay.IndexOfRevision(r) is not { } index)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["revision"] = [$"The account has no event at revision {r}."] }, title: "The query is not valid.");
            point = replay.At(index);
        }
        else
        {
            point = moment is { } m ? replay.AtTime(m) : replay.Latest;
        }

        return Results.Ok(AccountStateDto.From(timeline.AccountId, replayView == ReplayView.Corrected ? CorrectedView : RecordedView, moment, point));
    }

    private static ReplayView ParseView(string? view, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(view) || string.Equals(view, RecordedView, StringComparison.OrdinalIgnoreCase))
            return ReplayView.Recorded;
        if (string.Equals(view, CorrectedView, StringComparison.OrdinalIgnoreCase))
            return ReplayView.Corrected;
        errors["view"] = [$"view must be '{RecordedView}' or '{CorrectedView}'."];
        return ReplayView.Recorded;
    }

    private static long? ParseRevision(string text, TimelineSnapshot snapshot, Dictionary<string, string[]> errors)
    {
        var first = snapshot[0].Revision;
        var last = snapshot[snapshot.Count - 1].Revision;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= first && value <= last)
            return value;
        errors["revision"] = [$"revision must be a whole number from {first} to {last}, the account's first and last revisions."];
        return null;
    }
}
