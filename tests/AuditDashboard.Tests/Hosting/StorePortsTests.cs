
namespace AuditDashboard.Tests.Hosting;

/// <summary>The store adapter's ports as the running app's container serves them.</summary>
[Collection(SharedDashboardHost.Name)]
public sealed class StorePortsTests(DashboardHost host)
{
    [Fact]
    public void PersistentSubscriptions_AreRegistered_AsTheStoreThatServesTheEvents()
    {
        var services = host.Factory.Services;

        var subscriptions = services.GetService<IPersistentSubscriptions>();

        Assert.NotNull(subscriptions);
        Assert.Same(services.GetRequiredService<IEventStore>(), subscriptions);
    }
}
