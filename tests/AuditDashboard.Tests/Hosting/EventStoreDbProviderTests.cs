using AuditDashboard.Adapters.EventStoreDb;
using AuditDashboard.Configuration;
using AuditDashboard.Hosting;

namespace AuditDashboard.Tests.Hosting;

/// <summary>Provider=EventStoreDb: the factory builds the gRPC adapter, and what an operator must fix reads as one line.</summary>
public sealed class EventStoreDbProviderTests
{
    [Fact]
    public async Task Create_WithAnEsdbConnectionString_BuildsTheGrpcAdapterForThatNode()
    {
        var options = new EventStoreOptions { Provider = EventStoreProvider.EventStoreDb, ConnectionString = "esdb://admin:changeit@db.internal:2113?tls=false" };

        var store = EventStoreFactory.Create(options, contentRoot: "/");

        var adapter = Assert.IsType<EventStoreDbEventStore>(store);
        Assert.Equal(new EsdbEndpoint("db.internal", 2113), adapter.Endpoint);
        await adapter.DisposeAsync();
    }

    [Fact]
    public void Create_WithAMalformedConnectionString_GivesAStartUpMessageNamingTheSettingAndTheFault()
    {
        var options = new EventStoreOptions { Provider = EventStoreProvider.EventStoreDb, ConnectionString = "esdb://localhost:21l3?tls=false" };

        var error = Assert.ThrowsAny<Exception>(() => EventStoreFactory.Create(options, contentRoot: "/"));

        var message = StartupGuard.Explain(error);
        Assert.NotNull(message);
        Assert.Contains("EventStore:ConnectionString", message, StringComparison.Ordinal);
        Assert.Contains("port '21l3'", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Explain_TheMirrorWithoutPersistentSubscriptions_TellsTheOperatorToTurnItOff()
    {
        var message = StartupGuard.Explain(new MirrorUnsupportedException(
            "The Kafka mirror needs persistent subscriptions, which the ExampleEventStore store does not offer yet; set Kafka:Enabled=false."));

        Assert.NotNull(message);
        Assert.Contains("Kafka:Enabled=false", message, StringComparison.Ordinal);
    }
}
