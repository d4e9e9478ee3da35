namespace AuditDashboard.Tests.Support;

/// <summary>The test classes that share one running app: starting it once keeps the run short.</summary>
[CollectionDefinition(Name)]
public sealed class SharedDashboardHost : ICollectionFixture<DashboardHost>
{
    public const string Name = "Dashboard host";
}
