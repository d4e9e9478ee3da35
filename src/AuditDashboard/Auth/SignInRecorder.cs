using System.Security.Claims;
using AuditDashboard.Core.Export;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditDashboard.Auth;

/// <summary>
/// Puts sign-ins, failed sign-ins, lockouts and sign-outs on the record: the access log, beside the exports. Best
/// effort: a store that does not answer must not stop anyone from signing in or out, so such a failure is logged.
/// </summary>
public sealed partial class SignInRecorder(IEventStore store, TimeProvider time, ILogger<SignInRecorder> logger)
{
    public const string Password = "password";
    public const string SingleSignOn = "single-sign-on";
    public const string ApiKey = "api-key";

    /// <summary>How <paramref name="principal"/> signed in: local users' identities carry the cookie scheme's name.</summary>
    public static string MethodOf(ClaimsPrincipal principal) =>
        principal?.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme ? Password : SingleSignOn;

    public Task SignedInAsync(ClaimsPrincipal principal, HttpContext context) =>
        AppendAsync(SignInEvents.SignedIn, new SignInRecorded(principal.Identity?.Name, MethodOf(principal), ClientAddress.Of(context), time.GetUtcNow()));

    public Task SignedOutAsync(ClaimsPrincipal principal, HttpContext context) =>
        AppendAsync(SignInEvents.SignedOut, new SignInRecorded(principal.Identity?.Name, MethodOf(principal), ClientAddress.Of(context), time.GetUtcNow()));

    public Task FailedAsync(string? userName, string method, string problem, HttpContext context) =>
        AppendAsync(SignInEvents.SignInFailed, new SignInRecorded(userName, method, ClientAddress.Of(context), time.GetUtcNow(), problem));

    public Task LockedOutAsync(string userName, DateTimeOffset until, HttpContext context) =>
        AppendAsync(SignInEvents.SignInLockedOut, new SignInRecorded(userName, Password, ClientAddress.Of(context), time.GetUtcNow(), "too many failed sign-ins", until));

    private async Task AppendAsync(string eventType, SignInRecorded signIn)
    {
        try
        {
            // Not the request's token: a client that hangs up must not keep its attempt off the record.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await SignInEvents.AppendAsync(store, eventType, signIn, timeout.Token);
        }
        catch (Exception ex) when (ex is EventStoreUnavailableException or OperationCanceledException or IOException)
        {
            LogRecordFailed(ex, eventType, signIn.UserName);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {EventType} of {UserName} in the access log.")]
    private partial void LogRecordFailed(Exception exception, string eventType, string? userName);
}
