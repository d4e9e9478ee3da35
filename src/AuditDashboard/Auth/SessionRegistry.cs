using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditDashboard.Auth;

/// <summary>
/// The sessions the server knows: a sign-in cookie is honoured only while its session (the <see cref="ClaimType"/>
/// claim) is here, so signing out ends the session for every copy of the cookie, and no session outlives
/// <see cref="SignInSessionOptions.AbsoluteLifetime"/>.
/// <para>
/// In memory, which suits the single dashboard instance of today: a restart ends every session (everyone signs in
/// again), which errs on the safe side. Several instances behind a load balancer must share it: this registry then
/// moves to the shared read-model store (a table of session id, user, expiry and revocation), read on every request.
/// </para>
/// </summary>
public sealed class SessionRegistry(
    IOptions<SignInSessionOptions> options, IOptionsMonitor<CookieAuthenticationOptions> cookies, TimeProvider time)
{
    public const string ClaimType = "session_id";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for <paramref name="userName"/>; returns its id, to be carried in the cookie.</summary>
    public string Start(string userName)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _sessions[id] = new Session(userName, now + options.Value.AbsoluteLifetime) { LastSeen = now };
        return id;
    }

    /// <summary>Whether the session of <paramref name="principal"/> is still open; marks it as seen now.</summary>
    public bool IsActive(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.FindFirst(ClaimType)?.Value is not { } id || !_sessions.TryGetValue(id, out var session))
            return false;

        var now = time.GetUtcNow();
        if (now >= session.EndsAt)
        {
            _sessions.TryRemove(id, out _);
            return false;
        }

        session.LastSeen = now;
        return true;
    }

    /// <summary>Ends the session of <paramref name="principal"/> for every copy of its cookie.</summary>
    public void End(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.FindFirst(ClaimType)?.Value is { } id)
            _sessions.TryRemove(id, out _);
    }

    private void Sweep(DateTimeOffset now)
    {
        var idleLimit = cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).ExpireTimeSpan;
        foreach (var (id, session) in _sessions)
        {
            // A session idle for the cookie's sliding expiry has an expired cookie, so nothing can use it any more.
            if (now >= session.EndsAt || now - session.LastSeen >= idleLimit)
                _sessions.TryRemove(id, out _);
        }
    }

    private sealed record Session(string UserName, DateTimeOffset EndsAt)
    {
        public DateTimeOffset LastSeen { get; set; }
    }
}
