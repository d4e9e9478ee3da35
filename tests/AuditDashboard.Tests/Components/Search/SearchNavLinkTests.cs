using AuditDashboard.Components.Layout;

namespace AuditDashboard.Tests.Components.Search;

/// <summary>The navigation shows the Search link to those the app's own policy lets search.</summary>
public sealed class SearchNavLinkTests : MudComponentTest
{
    [Theory]
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.ComplianceReviewer, true)]
    [InlineData(Roles.Support, false)]
    public void TheSearchLink_ShowsOnlyForRolesThatMaySearch(string role, bool shown)
    {
        Services.AddSingleton(new CorrectionProposals());
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        // bUnit's stand-in grants policies by name; the links must follow the app's own policies, so the
        // real ones are registered.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(Policies.AddTo);

        var menu = Render<NavMenu>();

        Assert.Equal(shown, menu.FindAll("[data-testid=nav-search]").Count == 1);
    }
}
