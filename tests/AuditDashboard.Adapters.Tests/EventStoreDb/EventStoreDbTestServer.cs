using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// An in-process stand-in for an EventStoreDB node: Kestrel on 127.0.0.1, a port the OS picks, HTTP/2 only without TLS
/// (h2c), serving <see cref="StreamsFacade"/>, <see cref="PersistentSubscriptionsFacade"/> and <see cref="GossipFacade"/>
/// over a SQLite store in a temp folder. One per test class (tests share it: the contract gives every test its own
/// streams and prefixes); the cluster tests start several and set each one's <see cref="Node"/> behaviour.
/// </summary>
public sealed class EventStoreDbTestServer : IAsyncLifetime
{
    private readonly TempFolder _directory = new();
    private SqliteEventStore? _store;
    private WebApplication? _app;
    private int _port;

    /// <summary>A certificate to serve TLS with (HTTP/2 over TLS, as a secure node does); null: h2c.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>The esdb:// connection string of the running server.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The server's address (kept across <see cref="StopAsync"/> and <see cref="StartAsync"/>).</summary>
    public EsdbEndpoint Endpoint => new("127.0.0.1", _port);

    /// <summary>Its role in a cluster, injected failures, and the calls it received.</summary>
    public TestNode Node { get; } = new();

    /// <summary>The store behind the server, to check what landed here or to write while the server is down.</summary>
    internal SqliteEventStore Store => _store ?? throw new InvalidOperationException("The server was not initialized.");

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_directory.File("events.db")}"));
        await _store.InitializeAsync();
        await StartAsync();
    }

    /// <summary>Starts serving (again, on the same port after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        if (_app is not null)
            throw new InvalidOperationException("The server is running.");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (Certificate is { } certificate)
                listen.UseHttps(certificate);
        }));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<TestNodeInterceptor>());
        builder.Services.AddSingleton<IEventStore>(Store);
        builder.Services.AddSingleton(Node);
        var app = builder.Build();
        app.MapGrpcService<StreamsFacade>();
        app.MapGrpcService<PersistentSubscriptionsFacade>();
        app.MapGrpcService<GossipFacade>();
        await app.StartAsync();
        _app = app;

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
        Node.Endpoint = Endpoint;
        ConnectionString = Certificate is null ? $"esdb://127.0.0.1:{_port}?tls=false" : $"esdb://127.0.0.1:{_port}?tls=true&tlsVerifyCert=false";
    }

    /// <summary>Stops serving as a node that dies does: running calls are cut off, new connections refused.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app)
            return;
        _app = null;
        Node.AbortRunningCalls();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_store is not null)
            await _store.DisposeAsync();
        _directory.Dispose();
    }
}
