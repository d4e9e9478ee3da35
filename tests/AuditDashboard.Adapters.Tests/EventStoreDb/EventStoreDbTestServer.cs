using System.Net;
using AuditDashboard.Adapters.Tests.Embedded;
using AuditDashboard.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// An in-process stand-in for an EventStoreDB node: Kestrel on 127.0.0.1, a port the OS picks, HTTP/2 only without TLS
/// (h2c), serving <see cref="StreamsFacade"/> and <see cref="PersistentSubscriptionsFacade"/> over a SQLite store in a temp folder. One per test class (tests share it:
/// the contract gives every test its own streams and prefixes).
/// </summary>
public sealed class EventStoreDbTestServer : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteEventStore? _store;
    private WebApplication? _app;

    /// <summary>The esdb:// connection string of the running server.</summary>
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_directory.File("events.db")}"));
        await _store.InitializeAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<EventStore.IEventStore>(_store);
        _app = builder.Build();
        _app.MapGrpcService<StreamsFacade>();
        _app.MapGrpcService<PersistentSubscriptionsFacade>();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        ConnectionString = $"esdb://127.0.0.1:{new Uri(address).Port}?tls=false";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
            await _store.DisposeAsync();
        _directory.Dispose();
    }
}
