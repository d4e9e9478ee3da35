using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace AuditDashboard.Auth;

/// <summary>
/// What stands between a guesser and a session: ASP.NET Core's rate limiter on the sign-in form (per client address
/// and per user name), the failure budget of API keys, the lockout of user names, and server-side sessions that
/// sign-out ends and that expire at an absolute lifetime.
/// </summary>
internal static class SignInProtection
{
    /// <summary>The login form's user name field (Login.razor binds <c>Input.UserName</c>).</summary>
    public const string UserNameField = "Input.UserName";

    // The login form accepts no longer names; a longer one must not make a partition key of any size.
    private const int MaxUserNameLength = 100;

    private const string UserNameItem = "AuditDashboard.SignIn.UserName";
    private const string ThrottledItem = "AuditDashboard.SignIn.RetryAfter";

    public static WebApplicationBuilder AddSignInProtection(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutOptions>().BindConfiguration(LockoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SignInSessionOptions>().BindConfiguration(SignInSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<SignInLockout>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<SignInRecorder>();
        services.AddSingleton<ApiKeyFailureThrottle>();
        services.AddSingleton<PasswordSignIn>();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInThrottleOptions>>((options, throttle) =>
        {
            var limits = throttle.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                SignInAttempts(context => "address:" + ClientAddress.PartitionOf(context), limits.PerClientAddress, limits.Window),
                SignInAttempts(context => "user:" + (context.Items[UserNameItem] as string ?? ""), limits.PerUserName, limits.Window));
            options.OnRejected = (rejected, _) => AnswerThrottledSignInAsync(rejected, limits.Window);
        });

        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.Events.OnSigningIn = StartSession;
            options.Events.OnSignedIn = context =>
                context.HttpContext.RequestServices.GetRequiredService<SignInRecorder>().SignedInAsync(context.Principal!, context.HttpContext);
            options.Events.OnValidatePrincipal = RequireOpenSessionAsync;
        });
        return builder;
    }

    /// <summary>After authorization and antiforgery: the rate limiter reads the user name from the form first.</summary>
    public static WebApplication UseSignInProtection(this WebApplication app)
    {
        app.Use(ReadSignInUserNameAsync);
        app.UseRateLimiter();
        return app;
    }

    /// <summary>How long the rate limiter told this sign-in attempt to wait; null when it let it through.</summary>
    public static TimeSpan? ThrottledFor(HttpContext context) =>
        context?.Items[ThrottledItem] as TimeSpan?;

    /// <summary>Answers 429 with a Retry-After of whole seconds, at least one.</summary>
    public static void TooManyRequests(HttpResponse response, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsSignInAttempt(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<SignInFormAttribute>() is not null;

    private static PartitionedRateLimiter<HttpContext> SignInAttempts(Func<HttpContext, string> partition, int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInAttempt(context)
            ? RateLimitPartition.GetFixedWindowLimiter(partition(context), _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(""));

    private static async Task ReadSignInUserNameAsync(HttpContext context, RequestDelegate next)
    {
        if (IsSignInAttempt(context) && context.Request.HasFormContentType)
        {
            try
            {
                // The limiter's partition is chosen synchronously; the form is read here, once (later readers get it buffered).
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var userName = form[UserNameField].ToString().Trim().ToLowerInvariant();
                context.Items[UserNameItem] = userName.Length > MaxUserNameLength ? userName[..MaxUserNameLength] : userName;
            }
            catch (InvalidDataException)
            {
                // A malformed form counts against the empty user name; the page refuses it on its own.
            }
        }

        await next(context);
    }

    private static async ValueTask AnswerThrottledSignInAsync(OnRejectedContext rejected, TimeSpan window)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        TooManyRequests(context.Response, retryAfter);
        context.Items[ThrottledItem] = retryAfter;

        // A person at the form gets the sign-in page saying why and for how long, not a bare 429: the page's own
        // endpoint renders it, sees the mark above and checks no password.
        if (context.GetEndpoint()?.RequestDelegate is { } signInPage)
            await signInPage(context);
    }

    private static Task StartSession(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var stale in identity.FindAll(SessionRegistry.ClaimType).ToList())
                identity.RemoveClaim(stale);
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
            identity.AddClaim(new Claim(SessionRegistry.ClaimType, sessions.Start(identity.Name ?? "")));
        }

        return Task.CompletedTask;
    }

    private static async Task RequireOpenSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
        if (context.Principal is not null && sessions.IsActive(context.Principal))
            return;

        // Signed out elsewhere, past its absolute lifetime, or from before a restart: the cookie is worth nothing now.
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
