using System.Net;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// The client key as the worker sees a request: <c>remote</c> is <c>Connection.RemoteIpAddress</c> after the
/// worker's forwarded-headers step, <c>forwardedFor</c> what that step left of <c>X-Forwarded-For</c>.
/// </summary>
public sealed class ClientKeyTests
{
    static ClientContext Resolve(string? remote, string? forwardedFor, int hops = 0, string? header = null, string? headerValue = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (forwardedFor is not null)
        {
            context.Request.Headers[ClientAddressResolver.ForwardedForHeader] = forwardedFor;
        }

        if (header is not null && headerValue is not null)
        {
            context.Request.Headers[header] = headerValue;
        }

        var options = new SecurityOptions { TokenKey = Convert.ToBase64String(new byte[32]), TrustedHops = hops, ClientAddressHeader = header };
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), null, validateAllProperties: true));
        return new ClientAddressResolver(Options.Create(options)).Resolve(context.Request);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("203.0.113.7")]
    [InlineData("203.0.113.7, 192.0.2.1")]
    public void By_default_the_key_is_the_address_the_forwarded_headers_step_set_and_forwarded_for_is_not_read(string? forwardedFor) =>
        Assert.Equal("198.51.100.9", Resolve("198.51.100.9", forwardedFor).Address);

    [Theory]
    [InlineData("203.0.113.7", 1, "203.0.113.7")]
    [InlineData("1.2.3.4, 203.0.113.7", 1, "203.0.113.7")]
    [InlineData("1.2.3.4, 203.0.113.7:51234", 1, "203.0.113.7")]
    [InlineData("1.2.3.4,203.0.113.7, 10.0.0.2", 2, "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", 1, "2001:db8::1")]
    public void Trusted_hops_are_skipped_from_the_right_of_the_chain_ending_with_the_connection(string header, int hops, string expected) =>
        Assert.Equal(expected, Resolve("10.0.0.1", header, hops).Address);

    [Fact]
    public void Entries_a_client_prepends_never_change_its_key()
    {
        string honest = Resolve("10.0.0.1", "203.0.113.7", 1).RateKey;
        Assert.Equal(honest, Resolve("10.0.0.1", "192.0.2.1, 203.0.113.7", 1).RateKey);
        Assert.Equal(honest, Resolve("10.0.0.1", "192.0.2.1, 192.0.2.2, 203.0.113.7", 1).RateKey);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("203.0.113.7", 2)]
    [InlineData("not-an-ip", 1)]
    [InlineData("1.2.3.4, not-an-ip", 1)]
    [InlineData("' or 1 eq 1", 1)]
    [InlineData("unknown", 1)]
    [InlineData("999.1.1.1", 1)]
    public void A_chain_too_short_or_unreadable_falls_back_to_the_connection_never_to_the_left_most_entry(string? header, int hops) =>
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", header, hops).Address);

    [Fact]
    public void An_overlong_chain_falls_back_to_the_connection() =>
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", string.Join(", ", Enumerable.Range(1, 40).Select(i => $"192.0.2.{i}")), 1).Address);

    [Theory]
    [InlineData("203.0.113.7", 0, "203.0.113.7")]
    [InlineData("192.0.2.1, 203.0.113.7", 0, "203.0.113.7")]
    [InlineData("192.0.2.1, 203.0.113.7, 10.0.0.2", 1, "203.0.113.7")]
    [InlineData("2001:db8:1:2::7", 0, "2001:db8:1:2::7")]
    public void A_client_address_header_is_read_from_its_right_hand_side(string value, int hops, string expected) =>
        Assert.Equal(expected, Resolve("10.0.0.1", "198.51.100.1", hops, "X-Azure-SocketIP", value).Address);

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    public void Without_a_readable_client_address_header_the_key_is_the_connection(string? value) =>
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", "198.51.100.1", 0, "X-Azure-SocketIP", value).Address);

    [Fact]
    public void Without_a_connection_address_the_key_is_unknown() =>
        Assert.Same(ClientContext.Unknown, Resolve(null, "203.0.113.7", 1));

    [Fact]
    public void Ipv6_clients_are_keyed_by_their_64_network_and_mapped_ipv4_is_ipv4()
    {
        ClientContext a = Resolve("10.0.0.1", "2001:db8:1:2:aaaa::1", 1);
        ClientContext b = Resolve("10.0.0.1", "[2001:db8:1:2:bbbb::2]:443", 1);
        Assert.NotEqual(a.Address, b.Address);
        Assert.Equal(a.RateKey, b.RateKey);
        Assert.Equal("2001:db8:1:2::/64", a.RateKey);
        Assert.NotEqual(a.RateKey, Resolve("10.0.0.1", "2001:db8:1:3::1", 1).RateKey);
        Assert.Equal("192.0.2.1", Resolve("::ffff:192.0.2.1", null).RateKey);
        Assert.Equal("192.0.2.1", Resolve("10.0.0.1", "::ffff:192.0.2.1", 1).RateKey);
        Assert.Equal("fe80::1", Resolve("10.0.0.1", "fe80::1%3", 1).Address);
    }
}
