using AuditDashboard.Core.Export;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace AuditDashboard.Access;

/// <summary>What pages and endpoints read of the access log: a filtered page of it, and who looked at one account.</summary>
public sealed class AccessLogReader(IEventStore store, IAuthorizationService authorization)
{
    /// <summary>At most this many batches are listed for one account and period.</summary>
    public const int MaxViewers = 200;

    public Task<AccessLogPage> SearchAsync(AccessLogFilter filter, long skip, int take, CancellationToken cancellationToken = default) =>
        AccessLogSearch.SearchAsync(store, filter, skip, take, cancellationToken);

    /// <summary>
    /// The looks at <paramref name="accountId"/> between <paramref name="from"/> and <paramref name="to"/>, newest first;
    /// null, reading nothing, unless <paramref name="user"/> may read the access log (a compliance reviewer).
    /// </summary>
    public async Task<IReadOnlyList<AccessRecorded>?> ViewersAsync(
        ClaimsPrincipal user, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.ExportTimelines)).Succeeded)
            return null;
        var filter = new AccessLogFilter(AccountId: accountId, From: from, To: to);
        var page = await AccessLogSearch.SearchAsync(store, filter, 0, MaxViewers, cancellationToken);
        return [.. page.Items.Select(e => e.Access).OfType<AccessRecorded>()];
    }
}
