using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditDashboard.Auth;

/// <summary>
/// A sign-in through the login form: the rate limiter's verdict, the lockout, the password, the record. Sets the
/// answer's status (401, or 429 with Retry-After) so the login page only has to say why.
/// </summary>
public sealed class PasswordSignIn(LocalUserDirectory users, SignInLockout lockout, SignInRecorder recorder, TimeProvider time)
{
    public async Task<PasswordSignInResult> SignInAsync(HttpContext context, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(userName);
        if (SignInProtection.ThrottledFor(context) is { } throttled)
            return new PasswordSignInResult(PasswordSignInOutcome.Throttled, throttled);

        var name = userName.Trim().ToLowerInvariant();
        if (lockout.LockedUntil(name) is { } lockedUntil)
        {
            await recorder.FailedAsync(name, SignInRecorder.Password, "the user name is locked out", context);
            return LockedOut(context, lockedUntil);
        }

        var principal = users.SignIn(userName, password, CookieAuthenticationDefaults.AuthenticationScheme);
        if (principal is null)
        {
            await recorder.FailedAsync(name, SignInRecorder.Password, "wrong user name or password", context);
            if (lockout.RecordFailure(name) is { } until)
            {
                await recorder.LockedOutAsync(name, until, context);
                return LockedOut(context, until);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return new PasswordSignInResult(PasswordSignInOutcome.Refused);
        }

        lockout.Reset(name);

        // The cookie's events start the server-side session and put the sign-in on the record.
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return new PasswordSignInResult(PasswordSignInOutcome.SignedIn);
    }

    private PasswordSignInResult LockedOut(HttpContext context, DateTimeOffset until)
    {
        var retryAfter = until - time.GetUtcNow();
        SignInProtection.TooManyRequests(context.Response, retryAfter);
        return new PasswordSignInResult(PasswordSignInOutcome.LockedOut, retryAfter);
    }
}
