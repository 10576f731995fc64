using System.Net;
using System.Net.Sockets;

namespace ChorusFunctions.Security;

/// <summary>Where a request comes from, as far as abuse controls are concerned.</summary>
/// <param name="Address">The client's IP address in text form ("unknown" when the host does not say).</param>
/// <param name="RateKey">What limits count: the IPv4 address, or the IPv6 /64 (one subscriber holds a whole /64 to rotate through).</param>
public sealed record ClientContext(string Address, string RateKey)
{
    public static ClientContext Unknown { get; } = new("unknown", "unknown");

    public static ClientContext From(IPAddress? address) => (address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4() : address) switch
    {
        null => Unknown,
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => OfIPv6(v6.GetAddressBytes()),
        var v4 => new ClientContext(v4.ToString(), v4.ToString()),
    };

    static ClientContext OfIPv6(byte[] bytes)
    {
        string withoutZone = new IPAddress(bytes).ToString();
        Array.Clear(bytes, 8, 8);
        return new ClientContext(withoutZone, new IPAddress(bytes) + "/64");
    }
}

/// <summary>
/// Finds the client key of an HTTP request from the right-hand side of its address chain, skipping exactly the
/// trusted hops. The left-most entries are whatever the client sent, so they are never read; a chain too short or
/// unreadable falls back to the connection's address, which no client chooses.
/// </summary>
public sealed class ClientAddressResolver(IOptions<SecurityOptions> options)
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>More entries than this is no honest chain: the connection's address is used.</summary>
    const int MaxEntries = 32;

    public ClientContext Resolve(HttpRequest request)
    {
        SecurityOptions settings = options.Value;
        IPAddress? connection = request.HttpContext.Connection.RemoteIpAddress;
        return !string.IsNullOrEmpty(settings.ClientAddressHeader)
            ? ClientContext.From(FromChain(request.Headers[settings.ClientAddressHeader], null, settings.TrustedHops) ?? connection)
            : ClientContext.From(connection is null ? null : FromChain(request.Headers[ForwardedForHeader], connection, settings.TrustedHops));
    }

    /// <summary>
    /// The entry <paramref name="hops"/> from the right of <paramref name="values"/>' entries then <paramref name="last"/>,
    /// port allowed; <paramref name="last"/> when the chain is too short, too long, or that entry is no address.
    /// </summary>
    public static IPAddress? FromChain(IEnumerable<string?> values, IPAddress? last, int hops)
    {
        if (hops == 0 && last is not null)
        {
            return last;
        }

        string[] entries = string.Join(',', values.Where(v => v is not null)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int index = entries.Length - hops - (last is null ? 1 : 0);
        return index < 0 || entries.Length > MaxEntries ? last
            : IPAddress.TryParse(entries[index], out IPAddress? address) ? address
            : IPEndPoint.TryParse(entries[index], out IPEndPoint? endPoint) ? endPoint.Address
            : last;
    }
}
