using Microsoft.AspNetCore.Http.Features;

namespace AuditDashboard.Security;

/// <summary>
/// Bounds request bodies: commands (a POST, PUT, PATCH or DELETE under <c>/api</c>) to
/// <see cref="RequestLimitOptions.CommandBodyBytes"/>, everything else to the server's limit. A body announced larger is
/// answered 413 before anything reads it; a body that turns out larger while it is read (no Content-Length) makes the
/// server throw, and that becomes the same 413 problem instead of a 500. Nothing reaches an endpoint, so nothing is written.
/// </summary>
internal sealed class RequestBodyLimits(RequestDelegate next, IOptions<RequestLimitOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = size?.MaxRequestBodySize;
        if (IsCommand(request))
        {
            limit = options.Value.CommandBodyBytes;

            // The server then enforces it while the body is read, a chunked body (which announces no length) included.
            if (size is { IsReadOnly: false })
                size.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, limit);
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Thrown by the server as the body is read: too large (413), malformed (400), or too slow (408). It is the
            // client's doing, so it is answered as such, not as a failure of the dashboard.
            await WriteAsync(context, ex.StatusCode, limit);
        }
    }

    private static bool IsCommand(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    private async Task WriteAsync(HttpContext context, int status, long? limit)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;

        var (title, detail) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => (
                "The request body is too large; nothing was written.",
                limit is { } bytes
                    ? $"This request may send at most {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes."
                    : "The server refused the body as too large."),
            StatusCodes.Status408RequestTimeout => ("The request body arrived too slowly; nothing was written.", null),
            _ => ("The request could not be read; nothing was written.", null),
        };
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
        if (!written)
            await context.Response.WriteAsync(detail is null ? title : $"{title} {detail}", context.RequestAborted);
    }
}
