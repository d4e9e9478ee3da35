using System.Net;

namespace AuditDashboard.Security;

/// <summary>
/// The TLS-terminating proxies in front of the dashboard (section <c>ForwardedHeaders</c>): only a request that arrives
/// from one of them has its <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> believed, so that behind the proxy a request
/// made over HTTPS counts as HTTPS (HSTS, Secure cookies) and the access log sees the client's address. With neither
/// setting, no forwarded header is believed from anyone.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, comma-separated: <c>10.0.0.5, 2001:db8::5</c>.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Proxy networks in CIDR notation, comma-separated: <c>10.0.0.0/24</c>.</summary>
    public string? KnownNetworks { get; set; }

    public bool Enabled => Proxies().Any() || Networks().Any();

    public IEnumerable<IPAddress> Proxies() => Split(KnownProxies).Select(IPAddress.Parse);

    public IEnumerable<IPNetwork> Networks() => Split(KnownNetworks).Select(n => IPNetwork.Parse(n));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Split(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)))
            yield return new ValidationResult($"{Section}:{nameof(KnownProxies)} holds '{proxy}', which is not an IP address.", [nameof(KnownProxies)]);
        foreach (var network in Split(KnownNetworks).Where(n => !IPNetwork.TryParse(n, out _)))
            yield return new ValidationResult($"{Section}:{nameof(KnownNetworks)} holds '{network}', which is not a network in CIDR notation (e.g. 10.0.0.0/24).", [nameof(KnownNetworks)]);
    }

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
