using System.Globalization;

namespace AuditDashboard.EventStoreDb;

/// <summary>One node of an EventStoreDB / KurrentDB connection string.</summary>
public sealed record EsdbEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// The settings of an <c>esdb://[user:password@]host[:port][,host[:port]…][/]?setting=value&amp;…</c> connection string.
/// Only what this adapter acts on is accepted; anything else is refused by name rather than silently ignored.
/// </summary>
public sealed class EsdbConnectionString
{
    /// <summary>The gRPC port EventStoreDB listens on unless told otherwise.</summary>
    public const int DefaultPort = 2113;

    /// <summary>How long a single (non-subscription) call may take when the string does not say.</summary>
    public static readonly TimeSpan DefaultDeadlineValue = TimeSpan.FromSeconds(10);

    private static readonly string[] Supported = ["tls", "tlsVerifyCert", "connectionName", "defaultDeadline"];

    private EsdbConnectionString(IReadOnlyList<EsdbEndpoint> hosts) => Hosts = hosts;

    /// <summary>The nodes, in the order given; the adapter talks to the first that answers.</summary>
    public IReadOnlyList<EsdbEndpoint> Hosts { get; }

    public string? UserName { get; private set; }

    public string? Password { get; private set; }

    /// <summary>True (the default): https with the server's certificate; false: plain HTTP/2 (h2c).</summary>
    public bool Tls { get; private set; } = true;

    /// <summary>False accepts any server certificate (development with self-signed certificates only).</summary>
    public bool TlsVerifyCert { get; private set; } = true;

    /// <summary>A name for this client in logs and diagnostics.</summary>
    public string? ConnectionName { get; private set; }

    /// <summary>The deadline of appends and short reads (not of subscriptions or long reads).</summary>
    public TimeSpan DefaultDeadline { get; private set; } = DefaultDeadlineValue;

    /// <summary>Parses <paramref name="connectionString"/>; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static EsdbConnectionString Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new FormatException("The connection string is empty; expected esdb://host:2113?tls=false or similar.");

        var text = connectionString.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            throw new FormatException($"The connection string '{Redact(text)}' does not start with esdb://.");

        var scheme = text[..schemeEnd];
        if (scheme.Equals("esdb+discover", StringComparison.OrdinalIgnoreCase) || scheme.Equals("kurrentdb+discover", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"The scheme '{scheme}://' (cluster discovery through gossip) is not supported yet; name the node directly with esdb://host:port.");
        if (!scheme.Equals("esdb", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("kurrentdb", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"The scheme '{scheme}://' is not supported; the connection string must start with esdb://.");

        var rest = text[(schemeEnd + 3)..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var authority = queryStart < 0 ? rest : rest[..queryStart];
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        if (authority.EndsWith('/'))
            authority = authority[..^1];
        if (authority.Contains('/', StringComparison.Ordinal))
            throw new FormatException($"The connection string has a path after the hosts ('{authority[authority.IndexOf('/', StringComparison.Ordinal)..]}'); only settings after '?' may follow them.");

        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            (user, password) = ParseCredentials(authority[..at]);
            authority = authority[(at + 1)..];
        }

        var hosts = authority.Split(',').Select(ParseHost).ToList();
        var result = new EsdbConnectionString(hosts) { UserName = user, Password = password };
        return ApplySettings(result, query);
    }

    /// <summary>The string back, with the password left out (safe to log).</summary>
    public override string ToString()
    {
        var credentials = UserName is null ? "" : Uri.EscapeDataString(UserName) + ":***@";
        var deadline = ((long)DefaultDeadline.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var name = ConnectionName is null ? "" : "&connectionName=" + Uri.EscapeDataString(ConnectionName);
        return $"esdb://{credentials}{string.Join(',', Hosts)}?tls={Lower(Tls)}&tlsVerifyCert={Lower(TlsVerifyCert)}&defaultDeadline={deadline}{name}";
    }

    private static string Lower(bool value) => value ? "true" : "false";

    private static (string User, string Password) ParseCredentials(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            throw new FormatException("The connection string names a user but no password; write user:password@host.");
        var user = Unescape(userInfo[..colon], "user name");
        var password = Unescape(userInfo[(colon + 1)..], "password");
        if (user.Length == 0)
            throw new FormatException("The connection string has credentials with an empty user name.");
        if (password.Length == 0)
            throw new FormatException($"The connection string has an empty password for user '{user}'.");
        return (user, password);
    }

    private static string Unescape(string value, string what)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException ex)
        {
            throw new FormatException($"The connection string's {what} is not valid percent-encoding.", ex);
        }
    }

    private static EsdbEndpoint ParseHost(string text)
    {
        if (text.Length == 0)
            throw new FormatException("The connection string has an empty host (nothing between '//', ',' or '@' and the next separator).");

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            // An IPv6 address: [::1] or [::1]:2113.
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                throw new FormatException($"The host '{text}' opens '[' for an IPv6 address but never closes it.");
            host = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                    throw new FormatException($"The host '{text}' has '{after}' after its IPv6 address; expected ':port'.");
                port = after[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0)
            throw new FormatException($"The host '{text}' has no name or address before its port.");
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            throw new FormatException($"The host '{host}' is not a valid host name or IP address.");

        if (port is null)
            return new EsdbEndpoint(host, DefaultPort);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            throw new FormatException($"The port '{port}' of host '{host}' is not a number from 1 to 65535.");
        return new EsdbEndpoint(host, number);
    }

    private static EsdbConnectionString ApplySettings(EsdbConnectionString settings, string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : Unescape(pair[(equals + 1)..], $"setting '{key}'");
            if (equals < 0 || value.Length == 0)
                throw new FormatException($"The setting '{key}' has no value; write {key}=value.");

            switch (key.ToUpperInvariant())
            {
                case "TLS":
                    settings.Tls = ParseBool(key, value);
                    break;
                case "TLSVERIFYCERT":
                    settings.TlsVerifyCert = ParseBool(key, value);
                    break;
                case "CONNECTIONNAME":
                    settings.ConnectionName = value;
                    break;
                case "DEFAULTDEADLINE":
                    settings.DefaultDeadline = ParseDeadline(key, value);
                    break;
                default:
                    throw new FormatException($"The setting '{key}' is not supported; supported settings are {string.Join(", ", Supported)}.");
            }
        }

        return settings;
    }

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result) ? result : throw new FormatException($"The setting '{key}' must be true or false; got '{value}'.");

    private static TimeSpan ParseDeadline(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= int.MaxValue
            ? TimeSpan.FromMilliseconds(ms)
            : throw new FormatException($"The setting '{key}' must be a whole number of milliseconds above 0; got '{value}'.");

    private static string Redact(string text)
    {
        var at = text.LastIndexOf('@');
        return at < 0 ? text : "…@" + text[(at + 1)..];
    }
}
