using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Template;

namespace AuditDashboard.Auth;

/// <summary>
/// The authorization policy of each page of the dashboard, read from its <c>[Authorize]</c> attribute: what the access
/// denied notice needs to name the roles of the page that was refused.
/// </summary>
public static class PagePolicies
{
    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Route, string Policy)>> Pages = new(Find);

    /// <summary>The policy of the page at <paramref name="pathOrUrl"/> (a path, or a local URL with a query), or null.</summary>
    public static string? ForPath(string? pathOrUrl)
    {
        if (string.IsNullOrEmpty(pathOrUrl) || !pathOrUrl.StartsWith('/') || pathOrUrl.StartsWith("//", StringComparison.Ordinal))
            return null;
        var path = pathOrUrl.Split('?', '#')[0];
        foreach (var (route, policy) in Pages.Value)
        {
            if (route.TryMatch(path, []))
                return policy;
        }

        return null;
    }

    /// <summary>The policy of a page component, or null when it names none.</summary>
    public static string? Of(Type page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Select(a => a.Policy).FirstOrDefault(p => p is not null);
    }

    private static List<(TemplateMatcher, string)> Find() =>
        [.. from type in typeof(PagePolicies).Assembly.GetTypes()
            let policy = Of(type)
            where policy is not null
            from route in type.GetCustomAttributes<Microsoft.AspNetCore.Components.RouteAttribute>()
            select (new TemplateMatcher(TemplateParser.Parse(route.Template), []), policy)];
}
