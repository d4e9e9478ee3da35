using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;
using AuditDashboard.Hosting;

namespace AuditDashboard.Integrity;

/// <summary>Ledger seals, their checks, the proofs and the Integrity page's services.</summary>
internal static class IntegritySetup
{
    public static void AddLedgerIntegrity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IntegrityOptions>().BindConfiguration(IntegrityOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Seal.EveryEvents is >= 1 and <= 100_000_000, "Integrity:Seal:EveryEvents must be between 1 and 100000000.")
            .Validate(o => o.Seal.EveryMinutes is >= 0.01 and <= 1440, "Integrity:Seal:EveryMinutes must be between 0.01 and 1440.")
            .Validate(o => o.Verify.EveryMinutes is >= 0.01 and <= 1440, "Integrity:Verify:EveryMinutes must be between 0.01 and 1440.")
            .Validate(o => o.Seal.Sinks.Webhook.Url is null || (o.Seal.Sinks.Webhook.Url.IsAbsoluteUri && o.Seal.Sinks.Webhook.Url.Scheme is "http" or "https"),
                "Integrity:Seal:Sinks:Webhook:Url must be an absolute http or https address.")
            .Validate(o => o.Seal.Sinks.Webhook.TimeoutSeconds is >= 0.1 and <= 300, "Integrity:Seal:Sinks:Webhook:TimeoutSeconds must be between 0.1 and 300.")
            .ValidateOnStart();
        services.AddSingleton<LedgerIntegrity>();
        services.AddAuthorizationBuilder().AddPolicy(IntegrityPolicies.RunChecks, p => p.RequireRole(Auth.Roles.Support, Auth.Roles.ComplianceReviewer));
        services.AddHealthChecks().AddCheck<LedgerIntegrityHealthCheck>("ledger-integrity", tags: ["ready"]);
        if (!builder.Configuration.GetValue($"{IntegrityOptions.Section}:{nameof(IntegrityOptions.Enabled)}", true))
            return;

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<IntegrityOptions>>().Value;
            var sinks = new List<ISealSink>();
            if (!string.IsNullOrWhiteSpace(options.Seal.Sinks.File.Path))
                sinks.Add(IntegrityFiles.SealFile(options.Seal.Sinks.File.Path, builder.Environment));
            if (options.Seal.Sinks.Webhook is { Url: { } url } webhook)
                sinks.Add(IntegrityFiles.SealWebhook(url, webhook.BearerToken, TimeSpan.FromSeconds(webhook.TimeoutSeconds)));

            return new LedgerSealer(
                sp.GetRequiredService<IEventStore>(),
                sp.GetRequiredService<ISigningKeys>(),
                sp.GetRequiredService<LedgerIntegrity>(),
                new SealSchedule(options.Seal.EveryEvents, TimeSpan.FromMinutes(options.Seal.EveryMinutes), TimeSpan.FromMinutes(options.Verify.EveryMinutes)),
                sinks,
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<LedgerSealerService>();
    }

    /// <summary>The integrity endpoints. Readiness names a known mismatch through its health check and the shared report writer.</summary>
    public static WebApplication UseLedgerIntegrity(this WebApplication app)
    {
        app.MapIntegrityEndpoints();
        return app;
    }
}
