using AuditDashboard.Core.Export;
namespace AuditDashboard.Access;

/// <summary>
/// Puts every answer of an endpoint that returns an account's data on the record: the data sent (200), an account that
/// does not exist (404), and, through <see cref="DeniedReadRecorder"/>, a caller whose roles refuse it (403). A request
/// refused for its query (400) sent no account data and is not a look.
/// </summary>
public static class AccountReadRecording
{
    /// <summary>Marks the endpoint as one that returns the data of the account named by its <c>{id}</c>.</summary>
    public static RouteHandlerBuilder RecordsAccountReads(this RouteHandlerBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint
            .WithMetadata(AccountDataEndpoint.Instance)
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                var outcome = (result as IStatusCodeHttpResult)?.StatusCode switch
                {
                    StatusCodes.Status200OK => AccessOutcome.Allowed,
                    StatusCodes.Status404NotFound => AccessOutcome.NotFound,
                    _ => (AccessOutcome?)null,
                };
                if (outcome is { } o && context.HttpContext.GetRouteValue("id") is string id)
                    context.HttpContext.RequestServices.GetRequiredService<AccessRecorder>().RecordAccountRead(context.HttpContext, id, o);
                return result;
            });
    }
}

/// <summary>Endpoint metadata: the endpoint returns the data of the account its <c>{id}</c> names.</summary>
public sealed class AccountDataEndpoint
{
    public static AccountDataEndpoint Instance { get; } = new();

    private AccountDataEndpoint()
    {
    }
}
