using AuditDashboard.Core.Export;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AuditDashboard.Access;

/// <summary>
/// Records a signed-in caller refused (403) by an endpoint that returns account data as a denied look at that account,
/// then answers as the app always does.
/// </summary>
internal sealed class DeniedReadRecorder(AuthorizationMiddlewareResultHandler inner, AccessRecorder recorder) : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<AccountDataEndpoint>() is not null && context.GetRouteValue("id") is string id)
            recorder.RecordAccountRead(context, id, AccessOutcome.Denied);
        return inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
