using System.Net;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

public sealed class ClientAddressTests
{
    static ClientContext Resolve(string remote, string? forwardedFor, bool trusted, int hops = 1)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null)
        {
            context.Request.Headers[ClientAddressResolver.ForwardedForHeader] = forwardedFor;
        }

        return new ClientAddressResolver(Options.Create(new ClientAddressOptions { BehindTrustedProxy = trusted, TrustedProxyHops = hops })).Resolve(context.Request);
    }

    [Fact]
    public void Forwarded_for_is_ignored_unless_the_app_is_behind_a_trusted_proxy() =>
        Assert.Equal("198.51.100.9", Resolve("198.51.100.9", "203.0.113.7", trusted: false).Address);

    [Theory]
    [InlineData("203.0.113.7", 1, "203.0.113.7")]
    [InlineData("1.2.3.4, 203.0.113.7", 1, "203.0.113.7")]
    [InlineData("1.2.3.4, 203.0.113.7:51234", 1, "203.0.113.7")]
    [InlineData("203.0.113.7, 10.0.0.1", 2, "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", 1, "2001:db8::1")]
    public void Behind_a_trusted_proxy_the_client_is_counted_from_the_right(string header, int hops, string expected) =>
        Assert.Equal(expected, Resolve("10.0.0.1", header, trusted: true, hops).Address);

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("")]
    [InlineData("' or 1 eq 1")]
    public void An_unreadable_forwarded_for_falls_back_to_the_connection(string header) =>
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", header, trusted: true).Address);

    [Fact]
    public void Ipv6_clients_are_rate_limited_by_their_64_network_and_mapped_ipv4_is_ipv4()
    {
        ClientContext a = ClientContext.From(IPAddress.Parse("2001:db8:1:2:aaaa::1"));
        ClientContext b = ClientContext.From(IPAddress.Parse("2001:db8:1:2:bbbb::2"));
        Assert.NotEqual(a.Address, b.Address);
        Assert.Equal(a.RateKey, b.RateKey);
        Assert.Equal("2001:db8:1:2::/64", a.RateKey);
        Assert.Equal("192.0.2.1", ClientContext.From(IPAddress.Parse("::ffff:192.0.2.1")).RateKey);
        Assert.Same(ClientContext.Unknown, ClientContext.From(null));
    }
}
