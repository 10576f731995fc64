using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Security;

/// <summary>Where a request comes from, as far as abuse controls are concerned.</summary>
/// <param name="Address">The client's IP address in text form ("unknown" when the host does not say).</param>
/// <param name="RateKey">
/// What rate limits count against: the address itself for IPv4, its /64 network for IPv6 (one subscriber holds a
/// whole /64, so counting single IPv6 addresses would let one machine rotate through billions of them).
/// </param>
public sealed record ClientContext(string Address, string RateKey)
{
    public static ClientContext Unknown { get; } = new("unknown", "unknown");

    public static ClientContext From(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            string text = address.ToString();
            return new ClientContext(text, text);
        }

        byte[] bytes = address.GetAddressBytes();
        string withoutZone = new IPAddress(bytes).ToString();
        Array.Clear(bytes, 8, 8);
        return new ClientContext(withoutZone, new IPAddress(bytes) + "/64");
    }

}

/// <summary>
/// Settings of the security controls that are not in a section of their own (<c>Security__*</c>, next to
/// <c>Security__TokenKey</c>).
/// </summary>
public sealed class ClientAddressOptions
{
    public const string Section = "Security";

    /// <summary>
    /// True only when the app is reachable solely through a proxy that sets <c>X-Forwarded-For</c> (the Azure
    /// Functions front end, Front Door). Otherwise the header is client-controlled and ignored. When not set, it is
    /// true on App Service infrastructure (<c>WEBSITE_SITE_NAME</c> is set: every request comes through its front
    /// end, and the worker sees only the host as peer) and false elsewhere.
    /// </summary>
    public bool? BehindTrustedProxy { get; set; }

    public bool TrustsForwardedFor => BehindTrustedProxy ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WEBSITE_SITE_NAME"));

    /// <summary>How many trusted proxies append to <c>X-Forwarded-For</c>: the client is that many entries from the right.</summary>
    public int TrustedProxyHops { get; set; } = 1;
}

/// <summary>Finds the client address of an HTTP request, honouring <c>X-Forwarded-For</c> only behind a trusted proxy.</summary>
public sealed class ClientAddressResolver(IOptions<ClientAddressOptions> options)
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    public ClientContext Resolve(HttpRequest request)
    {
        IPAddress? address = request.HttpContext.Connection.RemoteIpAddress;
        ClientAddressOptions settings = options.Value;
        if (settings.TrustsForwardedFor && FromForwardedFor(request.Headers[ForwardedForHeader], settings.TrustedProxyHops) is { } forwarded)
        {
            address = forwarded;
        }

        return ClientContext.From(address);
    }

    /// <summary>
    /// The entry <paramref name="hops"/> places from the right of the comma-separated list (several headers are
    /// joined). Entries may carry a port ("203.0.113.7:51234", "[2001:db8::1]:443"). Null when it cannot be read.
    /// </summary>
    public static IPAddress? FromForwardedFor(IEnumerable<string?> values, int hops)
    {
        string[] entries = string.Join(',', values.Where(v => v is not null)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (hops < 1 || entries.Length < hops || entries.Length > 64)
        {
            return null;
        }

        string entry = entries[^hops];
        if (IPAddress.TryParse(entry, out IPAddress? address))
        {
            return address;
        }

        return IPEndPoint.TryParse(entry, out IPEndPoint? endPoint) ? endPoint.Address : null;
    }
}
