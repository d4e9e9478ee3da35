using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace AuditDashboard.Auth;

/// <summary>
/// Checks every minute that the session behind an open page (a live circuit) is still open: a page left open where
/// the user signed out elsewhere, or whose session reached its absolute lifetime, turns to the sign-in page instead
/// of going on showing account data.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, SessionRegistry sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        return Task.FromResult(user.Identity?.IsAuthenticated != true || sessions.IsActive(user));
    }
}
