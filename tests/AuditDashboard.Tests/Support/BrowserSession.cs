using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// Talks to the app as a browser without JavaScript would: keeps the cookies it is given, follows no redirect by
/// itself, and signs in by filling in and posting the login form the server rendered.
/// </summary>
public sealed class BrowserSession(HttpClient client) : IDisposable
{
    public const string AuthCookie = "audit.auth";

    private static readonly HtmlParser Parser = new();
    private readonly CookieContainer _cookies = new();

    public bool HasCookie(string name) => _cookies.GetCookies(client.BaseAddress!)[name] is not null;

    /// <summary>The cookies as this browser would send them: what someone who copied them could replay.</summary>
    public string CookieHeader => _cookies.GetCookieHeader(client.BaseAddress!);

    public async Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Opens the login page, fills in its form and posts it, hidden fields (handler, antiforgery token) included.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string userName, string password, CancellationToken cancellationToken, string loginUrl = "/login")
    {
        using var page = await GetAsync(loginUrl, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = LoginForm(await page.Content.ReadAsStringAsync(cancellationToken));

        var fields = form.Elements
            .OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name))
            .ToDictionary(input => input.Name!, input => input.Value);
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;

        using var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action") ?? "/login")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Posts <paramref name="fields"/> as a form, with this browser's cookies: what a form on any site could send.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Opens <paramref name="pageUrl"/> and posts its sign-out form as the Sign out button would, hidden fields (antiforgery token) included.</summary>
    public async Task<HttpResponseMessage> SignOutAsync(CancellationToken cancellationToken, string pageUrl = "/accounts")
    {
        using var page = await GetAsync(pageUrl, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = Parser.ParseDocument(await page.Content.ReadAsStringAsync(cancellationToken));
        var form = document.Forms.SingleOrDefault(f => (f.GetAttribute("action") ?? "").EndsWith("logout", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"The page {pageUrl} holds no sign-out form.");
        var fields = form.Elements
            .OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name))
            .ToDictionary(input => input.Name!, input => input.Value);
        return await PostFormAsync("/logout", fields, cancellationToken);
    }

    /// <summary>A redirect's target as path and query, whether the server wrote it absolute or relative.</summary>
    public static string? PathAndQuery(Uri? location) =>
        location is null ? null : (location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location)).PathAndQuery;

    public static IHtmlFormElement LoginForm(string html)
    {
        var document = Parser.ParseDocument(html);
        return document.Forms.SingleOrDefault(f => f.Elements.OfType<IHtmlInputElement>().Any(i => i is { Name: "_handler", Value: "login" }))
            ?? throw new Xunit.Sdk.XunitException("The page holds no login form.");
    }

    public void Dispose() => client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var cookieHeader = _cookies.GetCookieHeader(client.BaseAddress!);
        if (cookieHeader.Length > 0)
        {
            request.Headers.Add("Cookie", cookieHeader);
        }

        var response = await client.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                _cookies.SetCookies(client.BaseAddress!, setCookie);
            }
        }

        return response;
    }
}
