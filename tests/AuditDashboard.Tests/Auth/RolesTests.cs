namespace AuditDashboard.Tests.Auth;

/// <summary>Roles as people read them, and the roles each policy takes as the app registers them.</summary>
public sealed class RolesTests
{
    [Fact]
    public void ARoleOfTwoWords_IsShownAsTwoWords()
    {
        Assert.Equal("Compliance reviewer", Roles.DisplayName(Roles.ComplianceReviewer));
        Assert.Equal("Support", Roles.DisplayName(Roles.Support));
        Assert.Equal("Operator, Support or Compliance reviewer", Roles.DisplayNames(Roles.All));
        Assert.Equal("Support or Compliance reviewer", Roles.DisplayNames([Roles.Support, Roles.ComplianceReviewer]));
        Assert.Equal("Support", Roles.DisplayNames([Roles.Support]));
    }

    [Theory]
    [InlineData("/access-log", Policies.ExportTimelines)]
    [InlineData("/corrections/pending?x=1", Policies.PostCorrections)]
    [InlineData("/accounts/ACC-100001", Policies.ViewAccounts)]
    [InlineData("/search", Policies.SearchEvents)]
    [InlineData("/no-such-page", null)]
    [InlineData("//elsewhere.example/access-log", null)]
    [InlineData("https://elsewhere.example/access-log", null)]
    [InlineData(null, null)]
    public void ARefusedPagesAddress_LeadsToItsPolicy(string? returnUrl, string? policy) =>
        Assert.Equal(policy, PagePolicies.ForPath(returnUrl));

    [Fact]
    public async Task EveryPolicy_AdmitsExactlyTheRolesItNames()
    {
        var services = new ServiceCollection().AddLogging().AddAuthorizationCore(Policies.AddTo).BuildServiceProvider();
        var authorization = services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
        foreach (var (policy, roles) in Policies.RolesOf)
        {
            foreach (var role in Roles.All)
            {
                var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Role, role)], "test"));
                var admitted = (await authorization.AuthorizeAsync(user, policy)).Succeeded;
                Assert.True(admitted == roles.Contains(role), $"{policy} {(admitted ? "admits" : "refuses")} {role}");
            }
        }
    }
}
