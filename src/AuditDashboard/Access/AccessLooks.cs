using AuditDashboard.Core.Export;
using System.Security.Claims;

namespace AuditDashboard.Access;

/// <summary>
/// Records looks at account data from what a page or an endpoint holds: the user and where they are. An id that is not
/// a valid account id names no account, so asking for it is not recorded as a look.
/// </summary>
public static class AccessLooks
{
    /// <summary>An account page showed <paramref name="accountId"/> to <paramref name="user"/> (or found no such account).</summary>
    public static void RecordAccountViewed(this AccessRecorder recorder, ClaimsPrincipal user, ClientConnection connection, string accountId, AccessOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(connection);
        if (!AccountIds.IsValid(accountId))
            return;
        recorder.Record(new AccessLook(WhoOf(user), AccessAction.AccountViewed, accountId, null, connection.Address, connection.UserAgent, outcome));
    }

    /// <summary>An API request read <paramref name="accountId"/>'s data (or found no such account, or was refused).</summary>
    public static void RecordAccountRead(this AccessRecorder recorder, HttpContext context, string accountId, AccessOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(context);
        if (!AccountIds.IsValid(accountId))
            return;
        var connection = ClientConnection.Of(context);
        recorder.Record(new AccessLook(WhoOf(context.User), AccessAction.AccountRead, accountId, null, connection.Address, connection.UserAgent, outcome));
    }

    /// <summary>An API request searched events across accounts with <paramref name="filters"/> (as text).</summary>
    public static void RecordSearch(this AccessRecorder recorder, HttpContext context, string filters)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(context);
        var connection = ClientConnection.Of(context);
        recorder.RecordSearch(WhoOf(context.User), filters, connection.Address, connection.UserAgent);
    }

    /// <summary>A page searched events across accounts for <paramref name="user"/> with <paramref name="filters"/> (as text).</summary>
    public static void RecordSearch(this AccessRecorder recorder, ClaimsPrincipal user, ClientConnection connection, string filters)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(connection);
        recorder.RecordSearch(WhoOf(user), filters, connection.Address, connection.UserAgent);
    }

    /// <summary>The name the access log records: the signed-in user's, or the API key's (<c>api-key:name</c>).</summary>
    public static string WhoOf(ClaimsPrincipal? user) => user?.Identity?.Name ?? "unknown";
}
