using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace AuditDashboard.Auth;

/// <summary>Checks local users' passwords against the hashes in configuration.</summary>
public sealed class LocalUserDirectory(IOptionsMonitor<AuthOptions> options)
{
    private static readonly PasswordHasher<string> Hasher = new();

    // Verifying against a throwaway hash for unknown users keeps the response time from telling which user names exist.
    private static readonly string DecoyHash = Hasher.HashPassword("decoy", Guid.NewGuid().ToString());

    public static string HashPassword(string password) => Hasher.HashPassword("user", password);

    /// <summary>The signed-in identity when <paramref name="password"/> is right for <paramref name="userName"/>; otherwise null.</summary>
    public ClaimsPrincipal? SignIn(string? userName, string? password, string authenticationType)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            return null;

        var found = options.CurrentValue.Users.TryGetValue(userName.Trim(), out var user);
        var hash = found && !string.IsNullOrEmpty(user!.PasswordHash) ? user.PasswordHash : DecoyHash;
        PasswordVerificationResult result;
        try
        {
            result = Hasher.VerifyHashedPassword("user", hash, password);
        }
        catch (FormatException)
        {
            result = PasswordVerificationResult.Failed;
        }

        if (!found || result == PasswordVerificationResult.Failed)
            return null;

        var name = userName.Trim().ToLowerInvariant();
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, name),
            new(ClaimTypes.Name, name),
            new("display_name", string.IsNullOrWhiteSpace(user!.DisplayName) ? name : user.DisplayName),
        };
        claims.AddRange(Roles.Parse(user.Roles).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}
