using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace AuditDashboard.Endpoints;

/// <summary>Sign-out, and the single sign-on entry point when OpenID Connect is configured.</summary>
internal static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post with an antiforgery token, so no other site can sign a user out. Minimal APIs check the token
        // only when they bind a form, which this one does not: it checks it itself.
        app.MapPost("/logout", async (HttpContext context, IAntiforgery antiforgery, SessionRegistry sessions, SignInRecorder recorder) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The sign-out request is not valid.",
                    detail: "It carries no valid antiforgery token. Sign out with the dashboard's Sign out button.");
            }

            // Ending the server-side session makes every copy of the cookie worthless, not just the one cleared here.
            var user = context.User;
            sessions.End(user);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (user.HasClaim(c => c.Type == SessionRegistry.ClaimType))
                await recorder.SignedOutAsync(user, context);
            return Results.LocalRedirect("/login");
        }).RequireAuthorization();

        // Without single sign-on configured there is nothing here: 404, not a challenge of a scheme that does not exist.
        app.MapGet("/login/sso", async (string? returnUrl, IAuthenticationSchemeProvider schemes) =>
            await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme) is null
                ? Results.NotFound()
                : Results.Challenge(
                    new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) },
                    [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();
    }

    /// <summary>Only local paths are followed after sign-in: an open redirect would hand users to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
