using AuditDashboard.Core.Export;

namespace AuditDashboard.Access;

/// <summary>The access log's filters as the page's address and the API take them, with one message per field that is not valid.</summary>
public static class AccessLogQuery
{
    public const int MaxUserLength = 200;

    /// <summary>
    /// Reads the filters; a time without offset is read in <paramref name="zone"/> (the viewer's), or refused when it is
    /// null (an API caller states the offset). Fills <paramref name="errors"/>, keyed by field, for anything not valid.
    /// </summary>
    public static AccessLogFilter Parse(string? user, string? account, string? action, string? from, string? to, TimeZoneInfo? zone, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var userName = string.IsNullOrWhiteSpace(user) ? null : user.Trim();
        if (userName is { Length: > MaxUserLength })
            errors["user"] = [$"user must be a user or API key name of at most {MaxUserLength} characters."];

        var accountId = string.IsNullOrWhiteSpace(account) ? null : account.Trim();
        if (accountId is not null && !AccountIds.IsValid(accountId))
            errors["account"] = [$"account must be an account id: 1–{AccountIds.MaxLength} letters, digits, '-' or '_'."];

        string? actionName = null;
        if (!string.IsNullOrWhiteSpace(action))
        {
            actionName = AccessLogFilter.Actions.FirstOrDefault(a => string.Equals(a, action.Trim(), StringComparison.OrdinalIgnoreCase));
            if (actionName is null)
                errors["action"] = [$"action must be one of {string.Join(", ", AccessLogFilter.Actions)}."];
        }

        var fromMoment = Moment(from, "from", zone, errors);
        var toMoment = Moment(to, "to", zone, errors);
        if (fromMoment > toMoment)
            errors["to"] = ["to must not be before from."];

        return new AccessLogFilter(userName, accountId, actionName, fromMoment, toMoment);
    }

    private static DateTimeOffset? Moment(string? text, string name, TimeZoneInfo? zone, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Moments.TryParse(text, zone, out var moment, out var error))
            return moment;
        errors[name] = [$"{name}: {error}"];
        return null;
    }
}
