using Microsoft.AspNetCore.HttpOverrides;

namespace AuditDashboard.Security;

/// <summary>
/// What protects the dashboard at the HTTP level: the forwarded headers of known proxies, Secure cookies outside
/// Development, the security headers of every response, and request body limits.
/// </summary>
internal static class HttpHardening
{
    public static WebApplicationBuilder AddHttpHardening(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // X-Forwarded-Host is not taken: the dashboard builds no links from the host, and a forged one could poison them.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.Proxies())
                options.KnownProxies.Add(proxy);
            foreach (var network in settings.Value.Networks())
                options.KnownIPNetworks.Add(network);
        });

        // Outside Development every cookie the server sets is Secure, the sign-in cookie first: HTTPS is expected there, served
        // directly or by a TLS-terminating proxy. Browsers take loopback addresses for secure, so http://127.0.0.1 and
        // http://localhost still sign in (seen in Chromium).
        services.Configure<CookiePolicyOptions>(options => options.Secure = CookieSecurePolicy.Always);
        return builder;
    }

    /// <summary>First in the pipeline: everything after it sees the client's scheme and address, and sets cookies under the policy.</summary>
    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        app.Use(next =>
        {
            // Decided when the pipeline is built at start, after the settings were validated. Without a known proxy the
            // middleware would believe the headers from anyone, so it runs only when one is configured.
            var services = app.Services;
            if (!services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
                return next;
            return new ForwardedHeadersMiddleware(next, services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IOptions<ForwardedHeadersOptions>>()).Invoke;
        });
        if (!app.Environment.IsDevelopment())
            app.UseCookiePolicy();
        app.UseMiddleware<SecurityHeaders>();
        return app;
    }

    /// <summary>After the exception handlers, so that a body the server refuses while it is read is answered here, not as a 500.</summary>
    public static WebApplication UseRequestBodyLimits(this WebApplication app)
    {
        app.UseMiddleware<RequestBodyLimits>();
        return app;
    }
}
