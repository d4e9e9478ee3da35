using System.Net.Http.Headers;

namespace AuditDashboard.Tests.Security;

/// <summary>A response's Content-Security-Policy, read as its directives and their sources.</summary>
internal sealed class ContentSecurityPolicy
{
    private readonly Dictionary<string, string[]> _directives;

    private ContentSecurityPolicy(Dictionary<string, string[]> directives) => _directives = directives;

    /// <summary>The one Content-Security-Policy header of <paramref name="headers"/>; fails when there is none or more than one.</summary>
    public static ContentSecurityPolicy Of(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Assert.True(headers.TryGetValues("Content-Security-Policy", out var values), "The response has no Content-Security-Policy.");
        var policy = Assert.Single(values);
        var directives = policy
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..], StringComparer.Ordinal);
        return new ContentSecurityPolicy(directives);
    }

    public IReadOnlyCollection<string> Names => _directives.Keys;

    public string[] this[string directive] =>
        _directives.TryGetValue(directive, out var sources) ? sources : throw new Xunit.Sdk.XunitException($"The policy has no {directive}.");

    /// <summary>The nonce script-src allows (without its quotes and prefix).</summary>
    public string ScriptNonce => Assert.Single(this["script-src"], s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];
}
