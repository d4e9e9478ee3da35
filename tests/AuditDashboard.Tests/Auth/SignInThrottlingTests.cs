using System.Globalization;
using AuditDashboard.Tests.Api;

namespace AuditDashboard.Tests.Auth;

/// <summary>
/// Guessing passwords is slowed down: the sign-in form and API keys are rate limited per client address and per user
/// name (429 with Retry-After), a user name is locked out for a while after repeated failures, and every failure and
/// lockout is on the record in the access log. Each test runs its own dashboard, with limits small enough to reach.
/// </summary>
public sealed class SignInThrottlingTests
{
    private const string WrongPassword = "not-the-password";

    [Fact(Timeout = 60_000)]
    public async Task SignInForm_OverTheLimitForOneClientAddress_Answers429WithRetryAfter_OnTheLoginPage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await OwnDashboard.StartAsync(Limits(perClientAddress: 4, perUserName: 100, lockoutFailures: 100), cancellationToken);
        using var browser = new BrowserSession(dashboard.CreateClient());
        foreach (var name in new[] { "anna", "bert", "cora", "dave" })
        {
            using var guess = await browser.SignInAsync(name, WrongPassword, cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);
        AssertRetryAfterWithin(signIn, TimeSpan.FromMinutes(1));
        Assert.False(browser.HasCookie(BrowserSession.AuthCookie));
        var page = await signIn.Content.ReadAsStringAsync(cancellationToken);
        Assert.Contains("Too many sign-in attempts", page, StringComparison.Ordinal);
        Assert.NotNull(BrowserSession.LoginForm(page));
    }

    [Fact(Timeout = 60_000)]
    public async Task SignInForm_OverTheLimitForOneUserName_Answers429_WhileAnotherUserNameStillSignsIn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await OwnDashboard.StartAsync(Limits(perClientAddress: 100, perUserName: 3, lockoutFailures: 100), cancellationToken);
        using var browser = new BrowserSession(dashboard.CreateClient());
        for (var i = 0; i < 3; i++)
        {
            using var guess = await browser.SignInAsync("olivia", WrongPassword, cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var throttled = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);
        using var other = await browser.SignInAsync("sam", DashboardFactory.DevPassword, cancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        AssertRetryAfterWithin(throttled, TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie));
    }

    [Fact(Timeout = 60_000)]
    public async Task SignIn_AfterRepeatedFailures_LocksTheUserNameOut_EvenForTheRightPassword_UntilTheLockoutEnds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var settings = Limits(perClientAddress: 100, perUserName: 100, lockoutFailures: 3);
        settings["Auth:Lockout:Duration"] = "00:00:03";
        // The app's clock, moved on by the test instead of waiting for the lockout to end.
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var dashboard = await OwnDashboard.StartAsync(settings, clock, cancellationToken);
        using var browser = new BrowserSession(dashboard.CreateClient());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var guess = await browser.SignInAsync("sam", WrongPassword, cancellationToken);
            statuses.Add(guess.StatusCode);
        }

        using var locked = await browser.SignInAsync("sam", DashboardFactory.DevPassword, cancellationToken);
        var lockedPage = await locked.Content.ReadAsStringAsync(cancellationToken);
        var lockedCookie = browser.HasCookie(BrowserSession.AuthCookie);
        clock.Now += TimeSpan.FromSeconds(3.5);
        using var afterLockout = await browser.SignInAsync("sam", DashboardFactory.DevPassword, cancellationToken);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        AssertRetryAfterWithin(locked, TimeSpan.FromSeconds(3));
        Assert.Contains("Too many failed sign-ins for this user name", lockedPage, StringComparison.Ordinal);
        Assert.False(lockedCookie);
        Assert.Equal(HttpStatusCode.Redirect, afterLockout.StatusCode);
        Assert.True(browser.HasCookie(BrowserSession.AuthCookie));
    }

    [Fact(Timeout = 60_000)]
    public async Task ApiKey_AfterTooManyFailuresFromOneAddress_Answers429WithRetryAfter_EvenForARightKey()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var settings = Limits(perClientAddress: 100, perUserName: 100, lockoutFailures: 100);
        settings["Auth:Throttle:ApiKeyFailuresPerClientAddress"] = "3";
        await using var dashboard = await OwnDashboard.StartAsync(settings, cancellationToken);
        using var wrong = dashboard.CreateClient("not-a-key-of-this-dashboard");
        using var right = dashboard.CreateClient(DashboardFactory.OperatorKey);
        for (var i = 0; i < 3; i++)
        {
            using var guess = await wrong.GetAsync("/api/accounts", cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var throttled = await wrong.GetAsync("/api/accounts", cancellationToken);
        using var rightKey = await right.GetAsync("/api/accounts", cancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        AssertRetryAfterWithin(throttled, TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKey.StatusCode);
        AssertRetryAfterWithin(rightKey, TimeSpan.FromMinutes(1));
    }

    [Fact(Timeout = 60_000)]
    public async Task SignInsFailuresLockoutsAndSignOuts_AreRecordedInTheAccessLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await OwnDashboard.StartAsync(Limits(perClientAddress: 100, perUserName: 100, lockoutFailures: 2), cancellationToken);
        using (var attacker = new BrowserSession(dashboard.CreateClient()))
        {
            for (var i = 0; i < 2; i++)
                (await attacker.SignInAsync("sam", WrongPassword, cancellationToken)).Dispose();
        }

        using (var wrongKey = dashboard.CreateClient("not-a-key-of-this-dashboard"))
            (await wrongKey.GetAsync("/api/accounts", cancellationToken)).Dispose();
        using (var reviewer = new BrowserSession(dashboard.CreateClient()))
        {
            (await reviewer.SignInAsync("carla", DashboardFactory.DevPassword, cancellationToken)).Dispose();
            (await reviewer.SignOutAsync(cancellationToken)).Dispose();
        }

        using var client = dashboard.CreateClient(CorrectionApiTests.ComplianceKey);
        using var log = JsonDocument.Parse(await client.GetStringAsync("/api/access-log?take=10", cancellationToken));

        var items = log.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            ["SignedOut", "SignedIn", "SignInFailed", "SignInLockedOut", "SignInFailed", "SignInFailed"],
            items.Select(i => i.GetProperty("eventType").GetString()));
        var who = items.Select(i => i.GetProperty("signIn").GetProperty("userName").GetString()).ToList();
        Assert.Equal(["carla", "carla", null, "sam", "sam", "sam"], who);
        var methods = items.Select(i => i.GetProperty("signIn").GetProperty("method").GetString()).ToList();
        Assert.Equal(["password", "password", "api-key", "password", "password", "password"], methods);
        Assert.True(items[3].GetProperty("signIn").GetProperty("lockedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.All(items, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("export").ValueKind));
    }

    /// <summary>The development users and keys, with these limits; the lockout lasts 15 minutes unless a test says otherwise.</summary>
    private static Dictionary<string, string?> Limits(int perClientAddress, int perUserName, int lockoutFailures) => new()
    {
        ["Auth:Throttle:PerClientAddress"] = perClientAddress.ToString(CultureInfo.InvariantCulture),
        ["Auth:Throttle:PerUserName"] = perUserName.ToString(CultureInfo.InvariantCulture),
        ["Auth:Lockout:MaxFailures"] = lockoutFailures.ToString(CultureInfo.InvariantCulture),
    };

    private static void AssertRetryAfterWithin(HttpResponseMessage response, TimeSpan longest)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("The answer has no Retry-After header in seconds.");
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), longest);
    }
}
