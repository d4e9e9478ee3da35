using System.Security.Claims;
using AuditDashboard.Access;
using AuditDashboard.Adapters.Export;
using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Components;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Mirror;
using AuditDashboard.Endpoints;
using AuditDashboard.Integrity;
using AuditDashboard.Mirror;
using AuditDashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;

namespace AuditDashboard.Hosting;

/// <summary>The composition root: every service and the request pipeline.</summary>
internal static class AuditDashboardSetup
{
    private const string SmartScheme = "CookieOrApiKey";

    public static WebApplicationBuilder AddAuditDashboard(this WebApplicationBuilder builder)
    {
        builder.AddRootDevelopmentSettings();
        var services = builder.Services;

        services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        // One adapter behind both ports; the container disposes it once per port it handed out, which the adapters allow.
        services.AddSingleton(sp => EventStoreFactory.CreatePorts(sp.GetRequiredService<IOptions<EventStoreOptions>>().Value, builder.Environment));
        services.AddSingleton(sp => sp.GetRequiredService<EventStorePorts>().Events);
        services.AddSingleton(sp => sp.GetRequiredService<EventStorePorts>().Subscriptions
            ?? throw new MirrorUnsupportedException(
                $"The Kafka mirror needs persistent subscriptions, which the {sp.GetRequiredService<IEventStore>().GetType().Name} store does not offer yet; set Kafka:Enabled=false."));
        services.AddHostedService<StoreStartup>();
        services.AddStoreChecks();
        builder.AddReadModels();
        services.AddOptions<TimelineCacheOptions>().BindConfiguration(TimelineCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<TimelineCacheOptions>>().Value;
            return new AccountTimelines(sp.GetRequiredService<IEventStore>(), limits.MaxAccounts, limits.CacheMegabytes * 1024L * 1024);
        });
        services.AddOptions<CorrectionOptions>().BindConfiguration(CorrectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CorrectionOptions>>().Value.ToThresholds());
        services.AddSingleton<CorrectionProposals>();
        services.AddSingleton<CorrectionCommands>();
        services.AddSingleton(sp => new RecentCorrections(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ApprovalThresholds>().Window));
        services.AddSingleton<LedgerFeed>();
        services.AddSingleton<CorrectionService>();
        services.AddHostedService<LedgerFeedService>();
        services.AddSingleton<Export.ExportProgressRegistry>();
        services.AddSingleton<ExportStarts>();
        // PDFsharp keeps one font resolver per process: installed here, once, before anything draws text.
        services.AddSingleton<IExportWriters>(new ExportWriters(PdfFonts.Install(new SystemFontFiles())));
        services.AddSingleton<Export.TimelineExporter>();
        services.AddAccessLog();
        builder.AddSigningKeys();
        Integrity.IntegritySetup.AddLedgerIntegrity(builder);
        AddMirror(builder);

        services.AddHealthChecks().AddCheck<EventStoreHealthCheck>("event-store", tags: ["ready"]);
        services.AddProblemDetails();
        services.AddExceptionHandler<Endpoints.StoreProblems>();

        AddAuthentication(builder);
        builder.AddSignInProtection();
        builder.AddHttpHardening();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        return builder;
    }

    /// <summary>The Kafka mirror, unless turned off: its own test cluster when no brokers are configured.</summary>
    private static void AddMirror(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Without a registered mirror the monitor reports it as turned off.
        services.AddSingleton(sp => new MirrorMonitor(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILedgerMirror>()));
        // A dashboard serving the store read-only cannot keep the mirror's checkpoints: the writable one mirrors.
        if (!builder.Configuration.GetValue($"{KafkaOptions.Section}:{nameof(KafkaOptions.Enabled)}", true)
            || builder.Configuration.GetValue($"{EventStoreOptions.Section}:{nameof(EventStoreOptions.ReadOnly)}", false))
            return;

        services.AddSingleton<KafkaConnection>();
        services.AddSingleton<ILedgerMirror>(sp =>
        {
            var connection = sp.GetRequiredService<KafkaConnection>();
            var sealing = builder.Configuration.GetValue($"{IntegrityOptions.Section}:{nameof(IntegrityOptions.Enabled)}", true);
            return new KafkaLedgerMirror(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IPersistentSubscriptions>(), connection.Settings,
                connection.IsTestCluster, sealing, sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<MirrorService>();
    }

    private static void AddAuthentication(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var oidc = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.Oidc ?? new OidcOptions();
        services.AddSingleton<LocalUserDirectory>();

        var authentication = services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API key", o =>
            {
                // A request that presents an API key is judged by the key alone, never by a cookie it may also carry.
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName
                    : oidc.Enabled && !IsApi(context.Request) ? OpenIdConnectDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme;
                o.ForwardAuthenticate = null;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/access-denied";
                o.Cookie.Name = "audit.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });

        if (oidc.Enabled)
        {
            authentication.AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = "code";
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.ForwardAuthenticate = CookieAuthenticationDefaults.AuthenticationScheme;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                o.Events.OnTokenValidated = context =>
                {
                    // Roles arrive under the provider's claim name; the dashboard checks ClaimTypes.Role.
                    if (context.Principal?.Identity is ClaimsIdentity identity)
                    {
                        foreach (var role in identity.FindAll(oidc.RoleClaim).ToList())
                            identity.AddClaim(new Claim(ClaimTypes.Role, role.Value));
                    }

                    return Task.CompletedTask;
                };
            });
        }

        services.AddAuthorization(options =>
        {
            options.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            Policies.AddTo(options);
        });
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = apiStatus;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static WebApplication UseAuditDashboard(this WebApplication app)
    {
        app.UseHttpHardening();

        // Responses are what they say they are: a browser never sniffs JSON carrying user text into HTML.
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        // JSON endpoints answer errors as problem details; pages show the not-found page.
        // Inside a UseWhen branch the re-executed request would lose routing, so the page fallback sits on the main
        // pipeline and the API branch answers first with problem details.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(c => IsApi(c.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseReadOnlyStoreGuard();
        app.UseAntiforgery();
        app.UseSignInProtection();

        Integrity.IntegritySetup.UseLedgerIntegrity(app);
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync }).AllowAnonymous();
        app.MapAuthEndpoints();
        app.MapAccountEndpoints();
        app.MapEventSearchEndpoints();
        app.MapReportEndpoints();
        app.MapCorrectionEndpoints();
        app.MapMirrorEndpoints();
        app.MapExportEndpoints();
        app.MapAccessLogEndpoints();
        app.MapSigningKeyEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
