using System.Net;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Security;

public sealed class HttpHardeningTests : IAsyncLifetime
{
    const string Allowed = "https://portail.example";

    LocalStack stack = null!;

    public async Task InitializeAsync()
    {
        stack = await SecurityStack.StartAsync(new() { ["Host:CorsOrigins"] = Allowed + ", http://localhost:5173" });
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    static HttpRequestMessage Preflight(string origin, string path = "api/signups") => new(HttpMethod.Options, path)
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "POST" },
            { "Access-Control-Request-Headers", "content-type" },
        },
    };

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        using HttpResponseMessage allowed = await stack.Http.SendAsync(Preflight(Allowed));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Allowed, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.DoesNotContain("DELETE", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));

        using HttpResponseMessage refused = await stack.Http.SendAsync(Preflight("https://evil.example"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "api/workspaces") { Headers = { { "Origin", Allowed } } };
        using HttpResponseMessage response = await stack.Http.SendAsync(get);
        Assert.Equal(Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = new HttpRequestMessage(HttpMethod.Get, "api/workspaces") { Headers = { { "Origin", "null" } } };
        using HttpResponseMessage otherResponse = await stack.Http.SendAsync(other);
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    internal static HttpRequestMessage PreflightFrom(string origin) => Preflight(origin);

    [Theory]
    [InlineData("/")]
    [InlineData("/activation")]
    [InlineData("/index.html")]
    [InlineData("/does-not-exist.js")]
    public async Task Front_end_responses_carry_the_security_headers(string path)
    {
        using HttpResponseMessage response = await stack.Http.GetAsync(path.TrimStart('/'));
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        string referrer = response.Headers.GetValues("Referrer-Policy").Single();
        Assert.Equal(path.StartsWith("/activation", StringComparison.Ordinal) ? "no-referrer" : "strict-origin-when-cross-origin", referrer);
    }

    [Theory]
    [InlineData("api/health")]
    [InlineData("api/workspaces")]
    [InlineData("api/captcha")]
    [InlineData("api/signups/0123456789abcdef0123456789abcdef")]
    public async Task Api_responses_are_not_sniffed_or_cached(string path)
    {
        using HttpResponseMessage response = await stack.Http.GetAsync(path);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
