using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace AuditDashboard.Auth;

/// <summary>
/// Authenticates requests carrying an <c>X-Api-Key</c> header against the configured keys. Wrong keys are recorded in
/// the access log and spend the client address's failure budget; once it is spent, keys from that address are refused
/// with 429 and Retry-After until the window ends.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> authOptions,
    ApiKeyFailureThrottle failures,
    SignInRecorder recorder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    private TimeSpan? _retryAfter;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
            return AuthenticateResult.NoResult();

        var address = ClientAddress.PartitionOf(Context);
        _retryAfter = failures.RetryAfter(address);
        if (_retryAfter is not null)
            return AuthenticateResult.Fail("Too many wrong API keys from this address; try again later.");

        var presented = values.ToString();
        if (Match(presented) is not var (name, key))
        {
            failures.RecordFailure(address);
            await recorder.FailedAsync(null, SignInRecorder.ApiKey, "the API key matches none", Context);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "api-key:" + name),
            new(ClaimTypes.Name, "api-key:" + name),
            new("display_name", "API key " + name),
        };
        claims.AddRange(Roles.Parse(key.Roles).Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_retryAfter is { } retryAfter)
            SignInProtection.TooManyRequests(Response, retryAfter);
        else
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    private (string Name, ApiKeyOptions Key)? Match(string presented)
    {
        // Compare fixed-length digests in constant time, and look at every key, so timing reveals neither which key nor how much matched.
        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string, ApiKeyOptions)? match = null;
        foreach (var (name, key) in authOptions.CurrentValue.ApiKeys)
        {
            if (string.IsNullOrEmpty(key.Key))
                continue;
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key.Key));
            if (CryptographicOperations.FixedTimeEquals(presentedDigest, digest))
                match = (name, key);
        }

        return match;
    }
}
