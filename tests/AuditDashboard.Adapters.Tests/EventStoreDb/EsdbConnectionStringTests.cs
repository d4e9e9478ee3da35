using AuditDashboard.EventStoreDb;

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
    [InlineData("esdb+discover://cluster:2113", "cluster discovery")]
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
    [InlineData("esdb://host?nodePreference=leader", "'nodePreference' is not supported")]
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
}
