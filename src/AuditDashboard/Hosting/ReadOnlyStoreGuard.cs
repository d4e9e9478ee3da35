namespace AuditDashboard.Hosting;

/// <summary>
/// While the store is served read-only on purpose, answers every JSON command (POST, PUT, PATCH, DELETE under /api) and
/// every export with a 503 problem before it starts: an export must be put on the access log, which cannot be written.
/// The store itself refuses writes too; this makes the answer clear and early.
/// </summary>
internal static class ReadOnlyStoreGuard
{
    public const string Title = "The event store is read-only: this dashboard serves it for reading only, and nothing was written.";

    public static IApplicationBuilder UseReadOnlyStoreGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var condition = context.RequestServices.GetRequiredService<StoreCondition>();
        if (condition.IsReadOnly && IsWrite(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = Title,
                    Detail = "EventStore:ReadOnly=true. Corrections, approvals, retries of the mirror and exports (which are recorded in the access log) need a dashboard that may write the store.",
                },
            });
            return;
        }

        await next(context);
    });

    private static bool IsWrite(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            || request.Path.Value?.EndsWith("/export", StringComparison.OrdinalIgnoreCase) == true);
}
