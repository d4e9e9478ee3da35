using Microsoft.AspNetCore.Diagnostics;

namespace AuditDashboard.Endpoints;

/// <summary>
/// Turns what the event store refuses or cannot do into problem details for the JSON endpoints, instead of a 500:
/// 503 while it does not answer, 410 for a stream deleted for good, 413 for an append larger than it accepts.
/// </summary>
internal sealed class StoreProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int Status, string Title)? answer = exception switch
        {
            EventStoreReadOnlyException => (StatusCodes.Status503ServiceUnavailable, Hosting.ReadOnlyStoreGuard.Title),
            EventStoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "The event store does not answer; try again shortly."),
            StreamDeletedException => (StatusCodes.Status410Gone, "The stream was deleted for good."),
            EventTooLargeException => (StatusCodes.Status413PayloadTooLarge, "The event store refused an append that large; nothing was written."),
            _ => null,
        };
        if (answer is not { } chosen || httpContext.Response.HasStarted)
            return false;

        httpContext.Response.StatusCode = chosen.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = chosen.Status, Title = chosen.Title, Detail = exception.Message },
        });
    }
}
