using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>A loopback port nobody listens on right now.</summary>
public static class FreePort
{
    // Another developer may run the app on its default port; never take it, even if it happens to be free.
    private const int ReservedDevelopmentPort = 5080;

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != ReservedDevelopmentPort)
                return port;
        }
    }
}
