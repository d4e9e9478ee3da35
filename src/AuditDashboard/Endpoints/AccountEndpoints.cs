using AuditDashboard.Access;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Endpoints;

/// <summary>
/// The read-only JSON endpoints over accounts, backed by the same services as the pages. Every answer with one account's
/// data is recorded in the access log (<see cref="AccountReadRecording"/>).
/// </summary>
internal static class AccountEndpoints
{
    public const int MaxTake = 500;

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/accounts").RequireAuthorization(Policies.ViewAccounts).WithTags("Accounts");
        accounts.MapGet("/", ListAccounts);
        accounts.MapGet("/{id}", GetAccount).RecordsAccountReads();
        accounts.MapGet("/{id}/events", GetEvents).RecordsAccountReads();
        accounts.MapAccountStateEndpoint().RecordsAccountReads();
    }

    /// <summary>
    /// A page of accounts, by key (<c>after</c> = the last id of the previous page, which <c>next</c> gives) or, for old
    /// clients, by offset (<c>skip</c>); both may be combined.
    /// </summary>
    private static async Task<IResult> ListAccounts(
        AccountDirectory directory, string? search, string? skip, string? take, string? after, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (skipValue, takeValue) = ParsePaging(skip, take, errors);
        if (!string.IsNullOrEmpty(after) && !AccountIds.IsValid(after))
            Error(errors, "after", $"after must be an account id: 1–{AccountIds.MaxLength} letters, digits, '-' or '_'.");
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        var page = await directory.SearchAsync(new AccountQuery(search, NullIfEmpty(after), skipValue, takeValue), cancellationToken);
        var next = page.Items.Count == takeValue ? page.Items[^1].AccountId : null;
        return Results.Ok(new AccountListDto(page.Items.Select(AccountDto.From).ToList(), page.Total, skipValue, takeValue, next, page.TotalIsLowerBound));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task<IResult> GetAccount(AccountHistory history, string id, CancellationToken cancellationToken)
    {
        var last = await history.LastRevisionAsync(id, cancellationToken);
        var latest = last is { } revision ? await history.AtRevisionAsync(id, revision, cancellationToken) : null;
        return latest is null ? AccountNotFound(id) : Results.Ok(AccountDto.From(latest.StateAfter));
    }

    /// <summary>
    /// A window of an account's events with the state after each, read from the account's nearest mark (or its loaded
    /// timeline), so a long account is never loaded whole for a page of events.
    /// </summary>
    private static async Task<IResult> GetEvents(
        AccountHistory history, string id, string? fromRevision, string? count, string? direction, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var backwards = direction?.ToUpperInvariant() switch
        {
            null or "" or "FORWARDS" => false,
            "BACKWARDS" => true,
            _ => Error(errors, "direction", "direction must be 'forwards' or 'backwards'."),
        };
        var from = ParseLong(fromRevision, "fromRevision", backwards ? long.MaxValue : 0, errors);
        var take = ParseInt(count, "count", 100, 1, MaxTake, errors);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The query is not valid.");

        if (await history.LastRevisionAsync(id, cancellationToken) is not { } last)
            return AccountNotFound(id);
        var (lo, hi) = backwards
            ? (Math.Max(0, Math.Min(from, last) - take + 1), Math.Min(from, last))
            : (from, from > last ? -1 : Math.Min(last, from + take - 1));
        var window = lo > hi ? [] : await history.ReadAsync(id, lo, (int)(hi - lo + 1), cancellationToken);
        var events = (backwards ? window.Reverse() : window).Select(EventDto.From).ToList();
        return Results.Ok(new EventPageDto(id, events, backwards ? "backwards" : "forwards", last));
    }

    /// <summary>
    /// A page's <c>skip</c> (default 0) and <c>take</c> (default 50, at most <see cref="MaxTake"/>), the same for every list;
    /// a value that is not a whole number in range is named in <paramref name="errors"/>.
    /// </summary>
    internal static (int Skip, int Take) ParsePaging(string? skip, string? take, Dictionary<string, string[]> errors) =>
        (ParseInt(skip, "skip", 0, 0, int.MaxValue, errors), ParseInt(take, "take", 50, 1, MaxTake, errors));

    internal static IResult AccountNotFound(string id) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Account not found.",
        detail: AccountIds.IsValid(id)
            ? $"There is no account '{id}'."
            : $"'{Truncate(id)}' is not a valid account id: use 1–{AccountIds.MaxLength} letters, digits, '-' or '_'.");

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static bool Error(Dictionary<string, string[]> errors, string key, string message)
    {
        errors[key] = [message];
        return false;
    }

    private static int ParseInt(string? text, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Error(errors, name, $"{name} must be a whole number from {min} to {max}.");
        return fallback;
    }

    private static long ParseLong(string? text, string name, long fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return fallback;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        Error(errors, name, $"{name} must be a revision: a whole number from 0.");
        return fallback;
    }
}
