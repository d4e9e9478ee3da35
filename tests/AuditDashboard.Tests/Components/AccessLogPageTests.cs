using AuditDashboard.Access;
using AuditDashboard.Components.Pages.AccessLog;

namespace AuditDashboard.Tests.Components;

/// <summary>The access log page over a real ledger whose access log holds sign-in events.</summary>
public sealed class AccessLogPageTests(SignInAccessLedger ledger) : MudComponentTest, IClassFixture<SignInAccessLedger>
{
    [Fact]
    public void SignInEvents_AreListedNewestFirst_WithWhoWhatAndFromWhere()
    {
        Services.AddSingleton(ledger.Store);
        Services.AddScoped<AccessLogReader>();
        AddAuthorization();

        var page = Render<AccessLogPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=access-log] tbody tr").Count));
        var rows = page.FindAll("[data-testid=access-log] tbody tr");
        Assert.Equal(["carla", "sam", "sam", "—"], rows.Select(r => r.QuerySelector("[data-testid=access-who]")!.TextContent.Trim()));
        Assert.Equal(["Signed out", "Locked out", "Refused", "Refused"], rows.Select(r => r.QuerySelector("[data-testid=access-outcome]")!.TextContent.Trim()));
        Assert.Equal("Signed out from 10.1.2.3", rows[0].QuerySelector("[data-testid=access-sign-in]")!.TextContent.Trim());
        Assert.Equal(
            "User name locked out until 2026-12-01 09:30:00Z after repeated failed sign-ins from 203.0.113.9",
            rows[1].QuerySelector("[data-testid=access-sign-in]")!.TextContent.Trim());
        Assert.Equal(
            "Sign-in with a password refused from 203.0.113.9: wrong user name or password",
            rows[2].QuerySelector("[data-testid=access-sign-in]")!.TextContent.Trim());
        Assert.Equal(
            "Sign-in with an API key refused from 198.51.100.4: the API key matches none",
            rows[3].QuerySelector("[data-testid=access-sign-in]")!.TextContent.Trim());
    }
}
