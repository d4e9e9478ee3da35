using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticAssets;

namespace AuditDashboard.Security;

/// <summary>
/// The headers every response carries: a Content-Security-Policy whose scripts need this request's nonce, no referrer, no
/// powerful browser features, and no caching of anything but the static files.
/// </summary>
internal sealed class SecurityHeaders
{
    /// <summary>Browser features the dashboard never uses, turned off for it and anything it might embed.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), "
        + "microphone=(), midi=(), payment=(), serial=(), usb=(), xr-spatial-tracking=()";

    private static readonly object NonceKey = new();

    private readonly RequestDelegate _next;
    private readonly string _formAction;

    public SecurityHeaders(RequestDelegate next, IOptions<AuthOptions> auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        _next = next;

        // A form may post to the dashboard only, and to the single sign-on provider when there is one: after a form post
        // (signing out, say) the browser checks every redirect against form-action too.
        var oidc = auth.Value.Oidc;
        _formAction = oidc.Enabled && Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
    }

    /// <summary>The nonce this request's inline scripts must carry (the import map, the time-zone cookie).</summary>
    public static string NonceOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[NonceKey] as string
            ?? throw new InvalidOperationException("The security headers middleware did not run for this request: there is no script nonce.");
    }

    public Task InvokeAsync(HttpContext context)
    {
        // 128 random bits per response: an injected script cannot guess it, and a page never reuses one.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;

        // Set as the headers leave, so they hold whatever ran since: this replaces the frame-ancestors-only policy Blazor sets on
        // its pages (frame-ancestors is part of this one), and applies to error pages written after an exception.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy(nonce);
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;

            // Static files keep their own caching (fingerprinted ones are immutable); everything else may show account data or
            // who signed in, so no browser or proxy keeps a copy.
            if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return _next(context);
    }

    /// <summary>
    /// Scripts: the dashboard's own files and inline scripts with this response's nonce, nothing else; Blazor Server and
    /// MudBlazor need no eval. Styles: 'unsafe-inline', because MudBlazor writes style attributes (popover positions, sizes)
    /// and a style element for its theme, and Blazor styles its reconnect dialog inline; a nonce cannot cover style attributes,
    /// and styles cannot run code. connect-src 'self' covers Blazor's WebSocket to the same host and port (CSP Level 3).
    /// </summary>
    private string Policy(string nonce) =>
        "default-src 'self'; "
        + $"script-src 'self' 'nonce-{nonce}'; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; "
        + "connect-src 'self'; "
        + "object-src 'none'; "
        + "base-uri 'self'; "
        + $"form-action {_formAction}; "
        + "frame-ancestors 'self'";
}
