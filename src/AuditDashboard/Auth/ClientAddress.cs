using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.Auth;

/// <summary>Where a request comes from, as the sign-in throttles count it.</summary>
public static class ClientAddress
{
    /// <summary>The address to show in the access log, or null when the host knows none.</summary>
    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>
    /// The partition a request counts against: its IPv4 address, or the /64 network of an IPv6 address (one host is
    /// usually given a whole /64, so counting single IPv6 addresses would let it pick a fresh one per attempt).
    /// </summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
            return address.ToString();

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
