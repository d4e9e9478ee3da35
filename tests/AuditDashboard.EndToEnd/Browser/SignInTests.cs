using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

[Collection(BrowserSuite.Name)]
public sealed class SignInTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    [Fact(Timeout = 60_000)]
    public async Task VisitingAccounts_WhenSignedOut_LandsOnTheLoginPage()
    {
        var cancellation = TestContext.Current.CancellationToken;

        await GoToAsync("accounts", cancellation);

        Assert.Equal("/login", new Uri(Page.Url).AbsolutePath);
        Assert.Contains("returnUrl=%2Faccounts", Page.Url, StringComparison.OrdinalIgnoreCase);
        await Expect(Page.Locator("#username")).ToBeVisibleAsync();
        await Expect(Page.Locator("#password")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=accounts-table]")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 60_000)]
    public async Task SignIn_WithWrongPassword_ShowsAnErrorAndStaysSignedOut()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await GoToAsync("login", cancellation);
        await Page.Locator("#username").FillAsync("olivia");
        await Page.Locator("#password").FillAsync("not-the-password");

        var response = await Page.RunAndWaitForResponseAsync(
            () => Page.Locator("form button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/login").WaitAsync(cancellation);

        Assert.Equal(401, response.Status);
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The user name or password is not right.");
        Assert.Equal("/login", new Uri(Page.Url).AbsolutePath);
        await Expect(Page.Locator("#password")).ToHaveValueAsync("");
        var cookies = await Page.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "audit.auth");
    }

    [Fact(Timeout = 90_000)]
    public async Task SignOutButton_SignsOut_AndTheCookiesOfTheEndedSessionOpenNothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SignInAsync("olivia", "/accounts", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var copied = (await Page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }).ToList();
        Assert.Contains(copied, c => c.Name == "audit.auth");

        var signOut = await Page.RunAndWaitForResponseAsync(
            () => Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/logout").WaitAsync(cancellation);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login").WaitAsync(cancellation);

        Assert.Equal(302, signOut.Status);
        await using var replay = await Browser.NewContextAsync(App.BaseAddress);
        await replay.AddCookiesAsync(copied);
        var replayPage = await replay.NewPageAsync();
        await replayPage.GotoAsync("accounts").WaitAsync(cancellation);
        Assert.Equal("/login", new Uri(replayPage.Url).AbsolutePath);
        await Expect(replayPage.Locator("[data-testid=accounts-table]")).ToHaveCountAsync(0);
    }
}
