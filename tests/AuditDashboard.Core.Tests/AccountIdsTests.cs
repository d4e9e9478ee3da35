namespace AuditDashboard.Core.Tests;

public sealed class AccountIdsTests
{
    [Theory]
    [InlineData("ACC-100001", true)]
    [InlineData("a_b-9", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("ACC 1", false)]
    [InlineData("ACC/1", false)]
    [InlineData("<script>", false)]
    [InlineData("ÄCC-1", false)]
    public void IsValid_AcceptsOnlyLettersDigitsDashUnderscore(string? id, bool valid)
    {
        Assert.Equal(valid, AccountIds.IsValid(id));
    }

    [Fact]
    public void IsValid_RejectsIdsLongerThan64()
    {
        Assert.True(AccountIds.IsValid(new string('a', 64)));
        Assert.False(AccountIds.IsValid(new string('a', 65)));
    }

    [Fact]
    public void StreamOf_AndBack_RoundTrips()
    {
        var stream = AccountIds.StreamOf("ACC-7");

        Assert.Equal("account-ACC-7", stream);
        Assert.True(AccountIds.TryFromStream(stream, out var id));
        Assert.Equal("ACC-7", id);
        Assert.False(AccountIds.TryFromStream("audit-access", out _));
    }
}
