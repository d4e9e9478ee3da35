namespace AuditDashboard.Adapters.Tests.EventStoreDb;

public sealed class EsdbConnectionStringTests
{
    [Fact]
    public void Parse_FullString_ReadsEverySetting()
    {
        var parsed = EsdbConnectionString.Parse("esdb://admin:chan%40geit@node1:2113,node2:2114,[::1]?tls=false&tlsVerifyCert=false&connectionName=audit&defaultDeadline=2500");

        Assert.Equal([new EsdbEndpoint("node1", 2113), new EsdbEndpoint("node2", 2114), new EsdbEndpoint("::1", 2113)], parsed.Hosts);
        Assert.Equal("admin", parsed.UserName);
        Assert.Equal("chan@geit", parsed.Password);
        Assert.False(parsed.Tls);
        Assert.False(parsed.TlsVerifyCert);
        Assert.Equal("audit", parsed.ConnectionName);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), parsed.DefaultDeadline);
    }

    [Fact]
    public void Parse_Minimal_UsesTheDefaults()
    {
        var parsed = EsdbConnectionString.Parse("esdb://localhost");

        Assert.Equal([new EsdbEndpoint("localhost", EsdbConnectionString.DefaultPort)], parsed.Hosts);
        Assert.Null(parsed.UserName);
        Assert.True(parsed.Tls);
        Assert.True(parsed.TlsVerifyCert);
        Assert.Equal(EsdbConnectionString.DefaultDeadlineValue, parsed.DefaultDeadline);
        Assert.False(parsed.Discover);
        Assert.False(parsed.UsesGossip);
        Assert.Equal(EsdbNodePreference.Leader, parsed.NodePreference);
        Assert.Equal(EsdbConnectionString.DefaultMaxDiscoverAttempts, parsed.MaxDiscoverAttempts);
        Assert.Equal(EsdbConnectionString.DefaultDiscoveryIntervalValue, parsed.DiscoveryInterval);
        Assert.Equal(EsdbConnectionString.DefaultGossipTimeoutValue, parsed.GossipTimeout);
    }

    [Theory]
    [InlineData("esdb+discover://cluster.example:2113?tls=false")]
    [InlineData("kurrentdb+discover://cluster.example:2113?tls=false")]
    [InlineData("ESDB+DISCOVER://cluster.example:2113/?tls=false")]
    public void Parse_DiscoverScheme_MakesTheHostsGossipSeeds(string connectionString)
    {
        var parsed = EsdbConnectionString.Parse(connectionString);

        Assert.True(parsed.Discover);
        Assert.True(parsed.UsesGossip);
        Assert.Equal([new EsdbEndpoint("cluster.example", 2113)], parsed.Hosts);
        Assert.StartsWith("esdb+discover://cluster.example:2113?", parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralHostsWithoutDiscover_AreGossipSeedsToo()
    {
        var parsed = EsdbConnectionString.Parse("kurrentdb://a:2113,b:2113?tls=false");

        Assert.False(parsed.Discover);
        Assert.True(parsed.UsesGossip);
    }

    [Fact]
    public void Parse_ClusterSettings_AreRead()
    {
        var parsed = EsdbConnectionString.Parse(
            "esdb+discover://admin:secret@a:2113,b:2114?tls=false&NodePreference=Follower&maxDiscoverAttempts=3&discoveryInterval=250&gossipTimeout=1500");

        Assert.Equal(EsdbNodePreference.Follower, parsed.NodePreference);
        Assert.Equal(3, parsed.MaxDiscoverAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), parsed.DiscoveryInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), parsed.GossipTimeout);
        var text = parsed.ToString();
        Assert.Contains("nodePreference=follower&maxDiscoverAttempts=3&discoveryInterval=250&gossipTimeout=1500", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leader", EsdbNodePreference.Leader)]
    [InlineData("follower", EsdbNodePreference.Follower)]
    [InlineData("RANDOM", EsdbNodePreference.Random)]
    [InlineData("readOnlyReplica", EsdbNodePreference.ReadOnlyReplica)]
    public void Parse_NodePreference_TakesEveryChoice(string value, EsdbNodePreference expected)
    {
        Assert.Equal(expected, EsdbConnectionString.Parse($"esdb+discover://h?nodePreference={value}").NodePreference);
    }

    [Fact]
    public void ToString_RoundTrips()
    {
        var parsed = EsdbConnectionString.Parse("esdb+discover://u:p@a:1,b:2?tls=false&nodePreference=random&maxDiscoverAttempts=2&discoveryInterval=10&gossipTimeout=20&connectionName=x");
        var again = EsdbConnectionString.Parse(parsed.ToString().Replace("***", "p", StringComparison.Ordinal));

        Assert.Equal(parsed.ToString(), again.ToString());
        Assert.Equal(parsed.Hosts, again.Hosts);
        Assert.Equal(EsdbNodePreference.Random, again.NodePreference);
    }

    [Fact]
    public void Parse_SettingNamesAndSchemeIgnoreCaseAndATrailingSlashIsAllowed()
    {
        var parsed = EsdbConnectionString.Parse("ESDB://127.0.0.1:2113/?TLS=False");

        Assert.False(parsed.Tls);
        Assert.Equal(2113, parsed.Hosts[0].Port);
    }

    [Fact]
    public void ToString_LeavesThePasswordOut()
    {
        var text = EsdbConnectionString.Parse("esdb://admin:secret@h:1?tls=false").ToString();

        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("admin:***@h:1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("localhost:2113", "does not start with esdb://")]
    [InlineData("http://localhost:2113", "'http://' is not supported")]
    [InlineData("esdb+srv://cluster:2113", "'esdb+srv://' is not supported")]
    [InlineData("esdb://", "empty host")]
    [InlineData("esdb://a:2113,,b:2113", "empty host")]
    [InlineData("esdb://:2113", "no name or address")]
    [InlineData("esdb://host:abc", "port 'abc' of host 'host'")]
    [InlineData("esdb://host:0", "port '0' of host 'host'")]
    [InlineData("esdb://host:70000", "port '70000'")]
    [InlineData("esdb://[::1:2113", "never closes")]
    [InlineData("esdb://ho st:2113", "'ho st' is not a valid host")]
    [InlineData("esdb://admin@host", "no password")]
    [InlineData("esdb://:pw@host", "empty user name")]
    [InlineData("esdb://admin:@host", "empty password")]
    [InlineData("esdb://host/db", "path after the hosts")]
    [InlineData("esdb://host?tls=maybe", "'tls' must be true or false; got 'maybe'")]
    [InlineData("esdb://host?tlsVerifyCert=1", "'tlsVerifyCert' must be true or false")]
    [InlineData("esdb://host?defaultDeadline=soon", "'defaultDeadline' must be a whole number of milliseconds")]
    [InlineData("esdb://host?defaultDeadline=0", "'defaultDeadline'")]
    [InlineData("esdb://host?tls", "'tls' has no value")]
    [InlineData("esdb://host?keepAliveInterval=10000", "'keepAliveInterval' is not supported")]
    [InlineData("esdb+discover://host?nodePreference=nearest", "'nodePreference' must be leader, follower, random or readOnlyReplica; got 'nearest'")]
    [InlineData("esdb+discover://host?maxDiscoverAttempts=0", "'maxDiscoverAttempts' must be a whole number above 0; got '0'")]
    [InlineData("esdb+discover://host?maxDiscoverAttempts=many", "'maxDiscoverAttempts' must be a whole number above 0")]
    [InlineData("esdb+discover://host?discoveryInterval=-5", "'discoveryInterval' must be a whole number of milliseconds")]
    [InlineData("esdb+discover://host?gossipTimeout=1.5", "'gossipTimeout' must be a whole number of milliseconds")]
    [InlineData("esdb+discover://", "empty host")]
    public void Parse_Malformed_SaysWhatIsWrong(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => EsdbConnectionString.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_NeverEchoesThePassword()
    {
        var error = Assert.Throws<FormatException>(() => EsdbConnectionString.Parse("esdb://admin:secret@host?tls=maybe"));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esdb+discover://admin:secret@host?nodePreference=nearest")]
    [InlineData("esdb+discover://admin:secret@host?gossipTimeout=soon")]
    [InlineData("esdb+srv://admin:secret@host")]
    public void Parse_MalformedClusterSettings_NeverEchoThePassword(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => EsdbConnectionString.Parse(connectionString));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
