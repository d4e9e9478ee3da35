namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>The browser tests share one app (demo data seeded on its first start) and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserSuite : ICollectionFixture<AppProcess>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
