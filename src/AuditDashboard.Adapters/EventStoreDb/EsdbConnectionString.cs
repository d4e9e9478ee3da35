namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>One node of an EventStoreDB / KurrentDB connection string.</summary>
public sealed record EsdbEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>Which cluster member the adapter talks to when it discovers the cluster through gossip.</summary>
public enum EsdbNodePreference
{
    /// <summary>The leader (the default): every call can be served; followers would send writes on to it anyway.</summary>
    Leader,

    /// <summary>A follower, picked at random among them; writes are sent on to the leader when a follower refuses them.</summary>
    Follower,

    /// <summary>Any member that serves clients, picked at random.</summary>
    Random,

    /// <summary>A read-only replica, picked at random among them; failing that, a follower or the leader.</summary>
    ReadOnlyReplica,
}

/// <summary>
/// The settings of an <c>esdb[+discover]://[user:password@]host[:port][,host[:port]…][/]?setting=value&amp;…</c> connection
/// string (<c>kurrentdb://</c> and <c>kurrentdb+discover://</c> are synonyms). Only what this adapter acts on is
/// accepted; anything else is refused by name rather than silently ignored.
/// </summary>
public sealed class EsdbConnectionString
{
    /// <summary>The gRPC port EventStoreDB listens on unless told otherwise.</summary>
    public const int DefaultPort = 2113;

    /// <summary>How long a single (non-subscription) call may take when the string does not say.</summary>
    public static readonly TimeSpan DefaultDeadlineValue = TimeSpan.FromSeconds(10);

    /// <summary>How many rounds of asking the gossip seeds discovery makes unless told otherwise.</summary>
    public const int DefaultMaxDiscoverAttempts = 10;

    /// <summary>The pause between two rounds of discovery unless told otherwise.</summary>
    public static readonly TimeSpan DefaultDiscoveryIntervalValue = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one seed may take to answer a gossip request unless told otherwise.</summary>
    public static readonly TimeSpan DefaultGossipTimeoutValue = TimeSpan.FromSeconds(5);

    private static readonly string[] Supported =
        ["tls", "tlsVerifyCert", "connectionName", "defaultDeadline", "nodePreference", "maxDiscoverAttempts", "discoveryInterval", "gossipTimeout"];

    private EsdbConnectionString(IReadOnlyList<EsdbEndpoint> hosts, bool discover)
    {
        Hosts = hosts;
        Discover = discover;
    }

    /// <summary>
    /// The nodes, in the order given. A single node without <see cref="Discover"/> is talked to directly; otherwise they
    /// are the gossip seeds that name the cluster's members.
    /// </summary>
    public IReadOnlyList<EsdbEndpoint> Hosts { get; }

    /// <summary>True for <c>esdb+discover://</c>: the hosts are gossip seeds, not necessarily the node to talk to.</summary>
    public bool Discover { get; }

    /// <summary>True when the node to talk to is found through gossip: <see cref="Discover"/>, or more than one host.</summary>
    public bool UsesGossip => Discover || Hosts.Count > 1;

    /// <summary>Which member discovery picks (and whether reads must be served by the leader).</summary>
    public EsdbNodePreference NodePreference { get; private set; } = EsdbNodePreference.Leader;

    /// <summary>How many rounds of asking the seeds discovery makes before it gives up.</summary>
    public int MaxDiscoverAttempts { get; private set; } = DefaultMaxDiscoverAttempts;

    /// <summary>The pause between two rounds of discovery.</summary>
    public TimeSpan DiscoveryInterval { get; private set; } = DefaultDiscoveryIntervalValue;

    /// <summary>How long one seed may take to answer a gossip request.</summary>
    public TimeSpan GossipTimeout { get; private set; } = DefaultGossipTimeoutValue;

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
        var discover = scheme.Equals("esdb+discover", StringComparison.OrdinalIgnoreCase) || scheme.Equals("kurrentdb+discover", StringComparison.OrdinalIgnoreCase);
        if (!discover && !scheme.Equals("esdb", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("kurrentdb", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"The scheme '{scheme}://' is not supported; the connection string must start with esdb:// or esdb+discover://.");

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
        var result = new EsdbConnectionString(hosts, discover) { UserName = user, Password = password };
        return ApplySettings(result, query);
    }

    /// <summary>The string back, with the password left out (safe to log).</summary>
    public override string ToString()
    {
        var credentials = UserName is null ? "" : Uri.EscapeDataString(UserName) + ":***@";
        var name = ConnectionName is null ? "" : "&connectionName=" + Uri.EscapeDataString(ConnectionName);
        var cluster = UsesGossip
            ? $"&nodePreference={PreferenceName(NodePreference)}&maxDiscoverAttempts={MaxDiscoverAttempts.ToString(CultureInfo.InvariantCulture)}"
              + $"&discoveryInterval={Milliseconds(DiscoveryInterval)}&gossipTimeout={Milliseconds(GossipTimeout)}"
            : NodePreference == EsdbNodePreference.Leader ? "" : $"&nodePreference={PreferenceName(NodePreference)}";
        var scheme = Discover ? "esdb+discover" : "esdb";
        return $"{scheme}://{credentials}{string.Join(',', Hosts)}?tls={Lower(Tls)}&tlsVerifyCert={Lower(TlsVerifyCert)}&defaultDeadline={Milliseconds(DefaultDeadline)}{cluster}{name}";
    }

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static string PreferenceName(EsdbNodePreference preference) => preference switch
    {
        EsdbNodePreference.Follower => "follower",
        EsdbNodePreference.Random => "random",
        EsdbNodePreference.ReadOnlyReplica => "readOnlyReplica",
        _ => "leader",
    };

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
                    settings.DefaultDeadline = ParseMilliseconds(key, value);
                    break;
                case "NODEPREFERENCE":
                    settings.NodePreference = ParsePreference(key, value);
                    break;
                case "MAXDISCOVERATTEMPTS":
                    settings.MaxDiscoverAttempts = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var attempts) && attempts > 0
                        ? attempts
                        : throw new FormatException($"The setting '{key}' must be a whole number above 0; got '{value}'.");
                    break;
                case "DISCOVERYINTERVAL":
                    settings.DiscoveryInterval = ParseMilliseconds(key, value);
                    break;
                case "GOSSIPTIMEOUT":
                    settings.GossipTimeout = ParseMilliseconds(key, value);
                    break;
                default:
                    throw new FormatException($"The setting '{key}' is not supported; supported settings are {string.Join(", ", Supported)}.");
            }
        }

        return settings;
    }

    private static EsdbNodePreference ParsePreference(string key, string value) => value.ToUpperInvariant() switch
    {
        "LEADER" => EsdbNodePreference.Leader,
        "FOLLOWER" => EsdbNodePreference.Follower,
        "RANDOM" => EsdbNodePreference.Random,
        "READONLYREPLICA" => EsdbNodePreference.ReadOnlyReplica,
        _ => throw new FormatException($"The setting '{key}' must be leader, follower, random or readOnlyReplica; got '{value}'."),
    };

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result) ? result : throw new FormatException($"The setting '{key}' must be true or false; got '{value}'.");

    private static TimeSpan ParseMilliseconds(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= int.MaxValue
            ? TimeSpan.FromMilliseconds(ms)
            : throw new FormatException($"The setting '{key}' must be a whole number of milliseconds above 0; got '{value}'.");

    private static string Redact(string text)
    {
        var at = text.LastIndexOf('@');
        return at < 0 ? text : "…@" + text[(at + 1)..];
    }
}
