namespace AuditDashboard.Access;

/// <summary>
/// Where a user's requests come from, as the access log records it: the client address and the browser's user agent.
/// A live page has no request of its own, so the app takes both from the request that opened it and hands them down.
/// </summary>
public sealed record ClientConnection(string? Address, string? UserAgent)
{
    public static ClientConnection Unknown { get; } = new(null, null);

    public static ClientConnection Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new ClientConnection(ClientAddress.Of(context), userAgent.Length == 0 ? null : userAgent);
    }
}
