using System.Net;
using System.Text.Json;
using ChorusFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Pipeline;

/// <summary>The local host applies the forwarded headers as the worker's ASP.NET Core integration does.</summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public void The_local_host_uses_the_workers_forwarded_headers_options()
    {
        using IHost worker = new HostBuilder().ConfigureFunctionsWebApplication().Build();
        ForwardedHeadersOptions expected = worker.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        using ServiceProvider local = new ServiceCollection().AddWorkerForwardedHeaders().BuildServiceProvider();
        ForwardedHeadersOptions actual = local.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal(ForwardedHeaders.All, expected.ForwardedHeaders);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Theory]
    [InlineData("127.0.0.1", "203.0.113.7")]
    [InlineData("::1", "203.0.113.7")]
    [InlineData("198.51.100.20", "198.51.100.20")] // not a loopback peer: its X-Forwarded-For is not believed
    public async Task A_loopback_peer_forwards_the_client_address(string peer, string seen)
    {
        await using WebApplication app = await ApiResponseMiddlewareTests.StartLocalHostPipelineAsync();
        HttpContext context = await app.GetTestServer().SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            c.Request.Method = "GET";
            c.Request.Path = "/api/sample/caller";
            c.Request.Headers["X-Forwarded-For"] = "198.51.100.99, 203.0.113.7";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers["X-Forwarded-Host"] = "portail.example";
        });

        using JsonDocument body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(seen, body.RootElement.GetProperty("address").GetString());
        bool forwarded = peer != "198.51.100.20";
        Assert.Equal(forwarded ? "https" : "http", body.RootElement.GetProperty("scheme").GetString());
        Assert.Equal(forwarded ? "portail.example" : "localhost", body.RootElement.GetProperty("host").GetString());
        // One hop only: the entry before it stays for whoever reads the header next.
        Assert.Equal(forwarded ? "198.51.100.99" : "198.51.100.99, 203.0.113.7", context.Request.Headers["X-Forwarded-For"].ToString());
    }

    static string Describe(ForwardedHeadersOptions o) => string.Join(" | ",
        o.ForwardedHeaders, o.ForwardLimit, o.RequireHeaderSymmetry, string.Join(",", o.AllowedHosts),
        string.Join(",", o.KnownProxies), string.Join(",", o.KnownIPNetworks),
        o.ForwardedForHeaderName, o.ForwardedHostHeaderName, o.ForwardedProtoHeaderName, o.ForwardedPrefixHeaderName);
}
