namespace AuditDashboard.Core.Export;

/// <summary>
/// Which access-log entries to list: by user (the name recorded, ignoring case), account id, action (one of
/// <see cref="Actions"/>) and time (an entry whose looks, or whose recording, fall at least partly within
/// [<see cref="From"/>, <see cref="To"/>]). A null field does not filter.
/// </summary>
public sealed record AccessLogFilter(string? User = null, string? AccountId = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>An export, started or ended.</summary>
    public const string Export = "Export";

    /// <summary>A sign-in, a refused one, a lockout or a sign-out.</summary>
    public const string SignIn = "SignIn";

    /// <summary>The actions an entry can be filtered by: the looks at account data, exports and sign-ins.</summary>
    public static IReadOnlyList<string> Actions { get; } =
        [nameof(AccessAction.AccountViewed), nameof(AccessAction.AccountRead), nameof(AccessAction.EventsSearched), Export, SignIn];

    public bool IsEmpty => User is null && AccountId is null && Action is null && From is null && To is null;

    public bool Matches(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (first, last) = entry.Access is { } a ? (a.FirstAt, a.LastAt) : (entry.Recorded, entry.Recorded);
        return (User is null || string.Equals(User, WhoOf(entry), StringComparison.OrdinalIgnoreCase))
            && (AccountId is null || string.Equals(AccountId, AccountOf(entry), StringComparison.Ordinal))
            && (Action is null || string.Equals(Action, ActionOf(entry), StringComparison.Ordinal))
            && (From is null || last >= From)
            && (To is null || first <= To);
    }

    /// <summary>Who the entry names: the user (or API key) that looked, exported or signed in.</summary>
    public static string? WhoOf(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Access?.Who ?? entry.Export?.ExportedBy ?? entry.Started?.ExportedBy ?? entry.SignIn?.UserName;
    }

    /// <summary>The account the entry names, if any.</summary>
    public static string? AccountOf(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Access?.AccountId ?? entry.Export?.AccountId ?? entry.Started?.AccountId;
    }

    /// <summary>The entry's action, as <see cref="Actions"/> names it; null for an entry that does not parse.</summary>
    public static string? ActionOf(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Access is { } access ? access.Action.ToString()
            : entry.Export is not null || entry.Started is not null ? Export
            : entry.SignIn is not null ? SignIn
            : null;
    }
}
