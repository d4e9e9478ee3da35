using AuditDashboard.Accounts;

namespace AuditDashboard.Endpoints;

/// <summary>
/// <c>GET /api/accounts/{id}/state?revision=k</c> or <c>?at=&lt;ISO-8601 with offset&gt;</c>, optionally
/// <c>&amp;view=recorded|corrected</c>: the account as it was after one event, answered as recorded from the
/// account's nearest mark and the few events after it (or its loaded timeline), as corrected the same way with the
/// account's few corrections moved to where they take effect (from its loaded timeline while the directory catches up).
/// Neither parameter: the latest state.
/// </summary>
internal static class AccountStateEndpoint
{
    public const string RecordedView = "recorded";
    public const string CorrectedView = "corrected";

    /// <summary>Maps the endpoint on the accounts group, so it shares the group's authorization.</summary>
    public static RouteHandlerBuilder MapAccountStateEndpoint(this RouteGroupBuilder accounts) =>
        accounts.MapGet("/{id}/state", GetState);

    private static async Task<IResult> GetState(
        AccountHistory history, AccountReplays replays, string id, string? revision, string? at, string? view, CancellationToken cancellationToken)
    {
        // The account first: the valid revisions depend on it, and a missing account is the answer whatever the query.
        if (await history.LastRevisionAsync(id, cancellationToken) is not { } last)
            return AccountEndpoints.AccountNotFound(id);

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
            wantedRevision = ParseRevision(revision, last, errors);
        }

        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        var viewName = replayView == ReplayView.Corrected ? CorrectedView : RecordedView;
        if (replayView == ReplayView.Recorded)
        {
            // Never loads the account: a long one is not read whole for one moment.
            var entry = wantedRevision is { } wanted ? await history.AtRevisionAsync(id, wanted, cancellationToken)
                : moment is { } when ? await history.AtTimeAsync(id, when, cancellationToken)
                : await history.AtRevisionAsync(id, last, cancellationToken);
            var point = entry is null
                ? new ReplayPoint(-1, AccountState.Initial(id), null)
                : new ReplayPoint(entry.StateAfter.EventCount - 1, entry.StateAfter, entry);
            return Results.Ok(AccountStateDto.From(id, viewName, moment, point));
        }

        // As corrected: from the marks and the account's few corrections once the directory has caught up (its event
        // index finds them); before, from the loaded timeline.
        if (await replays.OpenAsync(id, last, replayView, cancellationToken) is not { } replay)
            return AccountEndpoints.AccountNotFound(id);

        int found;
        if (wantedRevision is { } r)
        {
            if (replay.IndexOfRevision(r) is not { } index)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["revision"] = [$"The account has no event at revision {r}."] }, title: "The query is not valid.");
            found = index;
        }
        else
        {
            found = moment is { } m ? await replay.IndexAtTimeAsync(m, cancellationToken) : replay.Count - 1;
        }

        return Results.Ok(AccountStateDto.From(replay.AccountId, viewName, moment, await replay.AtAsync(found, cancellationToken)));
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

    private static long? ParseRevision(string text, long last, Dictionary<string, string[]> errors)
    {
        const long first = StreamRevision.Start;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= first && value <= last)
            return value;
        errors["revision"] = [$"revision must be a whole number from {first} to {last}, the account's first and last revisions."];
        return null;
    }
}
