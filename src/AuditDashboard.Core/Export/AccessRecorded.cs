using System.Text.Json.Serialization;

namespace AuditDashboard.Core.Export;

/// <summary>What a look at account data was.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessAction>))]
public enum AccessAction
{
    /// <summary>The account page showed the account.</summary>
    AccountViewed,

    /// <summary>An API endpoint answered with the account's data (state, events).</summary>
    AccountRead,

    /// <summary>A search across accounts; the filters are recorded, no single account.</summary>
    EventsSearched,
}

/// <summary>How a look at account data ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessOutcome>))]
public enum AccessOutcome
{
    /// <summary>The data was shown or sent.</summary>
    Allowed,

    /// <summary>The account does not exist; nothing was shown.</summary>
    NotFound,

    /// <summary>The caller's roles do not allow the look; nothing was shown.</summary>
    Denied,
}

/// <summary>
/// Looks at account data, as the access log records them (event type <see cref="AccessEvents.Type"/>): one event per
/// caller, action, account (or search filters), client address and outcome within a batch window, with how many looks
/// it covers (<see cref="Count"/>) and the first and last of them. <see cref="Who"/> is the user's name, or the API key's
/// for an API caller; <see cref="AccountId"/> is null for a search, <see cref="Filters"/> null for anything else.
/// </summary>
public sealed record AccessRecorded(
    string Who,
    AccessAction Action,
    string? AccountId,
    string? Filters,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    int Count,
    string? ClientAddress,
    string? UserAgent,
    AccessOutcome Outcome);
