using System.Net;
using System.Security.Cryptography;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>
/// The client key through the local host's forwarded-headers step, which is the worker's: the test connects from
/// loopback as the Functions host does, so the right-most <c>X-Forwarded-For</c> entry becomes the connection's
/// address and is consumed. "Clients" differ by what the proxy chain put there; a client's own entries are the
/// left-most ones.
/// </summary>
public sealed class ClientKeyTests
{
    const string Proxy = "10.1.0.1";

    /// <summary>Headers for a client behind a topology; <paramref name="spoof"/> is what the client itself sent.</summary>
    public sealed record Topology(string Name, Dictionary<string, string?> Settings, Func<string, string?, Dictionary<string, string>> Headers)
    {
        public override string ToString() => Name;
    }

    // As in Azure: the Functions host replaces X-Forwarded-For with the one address it saw.
    static readonly Topology FunctionsHost = new("functions host", [],
        (client, spoof) => new() { ["X-Forwarded-For"] = spoof is null ? client : $"{spoof}, {client}" });

    // One more proxy that keeps the chain: its entry is skipped.
    static readonly Topology OneTrustedHop = new("one trusted hop", new() { ["Security:TrustedHops"] = "1" },
        (client, spoof) => new() { ["X-Forwarded-For"] = spoof is null ? $"{client}, {Proxy}" : $"{spoof}, {client}, {Proxy}" });

    // Front Door in front: the socket address it saw, whatever X-Forwarded-For the client sent.
    static readonly Topology ClientAddressHeader = new("client address header", new() { ["Security:ClientAddressHeader"] = "X-Azure-SocketIP" },
        (client, spoof) => new() { ["X-Azure-SocketIP"] = client, ["X-Forwarded-For"] = spoof is null ? Proxy : $"{spoof}, {Proxy}" });

    public static TheoryData<Topology> Topologies => new() { FunctionsHost, OneTrustedHop, ClientAddressHeader };

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task Clients_behind_the_same_proxy_get_separate_limits_and_a_spoofed_entry_no_quota_of_its_own(Topology topology)
    {
        var settings = new Dictionary<string, string?>(topology.Settings) { ["RateLimits:PasswordStrengthPerIp:PermitLimit"] = "2" };
        await using LocalStack stack = await SecurityStack.StartAsync(settings);
        var api = new ApiClient(stack);
        Task<ApiClient.Response> Check(string client, string? spoof = null) =>
            api.SendAsync(HttpMethod.Post, "api/password-strength", new { password = "x" }, topology.Headers(client, spoof));

        Assert.Equal(HttpStatusCode.OK, (await Check("203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Check("203.0.113.7", spoof: "192.0.2.1")).Status);
        (await Check("203.0.113.7")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await Check("203.0.113.7", spoof: "192.0.2.2")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await Check("203.0.113.7", spoof: "192.0.2.3, 192.0.2.4")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        // Another client behind the same proxy has its own allowance; so does an IPv6 client's /64, once.
        Assert.Equal(HttpStatusCode.OK, (await Check("203.0.113.8")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Check("2001:db8:7:7::1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Check("2001:db8:7:7::2")).Status);
        (await Check("2001:db8:7:7::3")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task The_unknown_link_lockout_never_locks_out_more_than_the_client_that_earned_it()
    {
        Topology topology = OneTrustedHop;
        var settings = new Dictionary<string, string?>(topology.Settings) { ["Lockout:MaxUnknownTokens"] = "3" };
        await using LocalStack stack = await SecurityStack.StartAsync(settings);
        var api = new ApiClient(stack);
        (_, string token) = await api.UntilActivationEmailAsync(SecurityStack.Email("bystander"));
        Task<ApiClient.Response> Get(string link, string client, string? spoof = null) =>
            api.SendAsync(HttpMethod.Get, $"api/activations/{link}", headers: topology.Headers(client, spoof));

        for (int i = 0; i < 3; i++)
        {
            (await Get(RandomToken(), "203.0.113.66")).AssertProblem(HttpStatusCode.Gone, "activation_link_invalid");
        }

        (await Get(RandomToken(), "203.0.113.66")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        (await Get(RandomToken(), "203.0.113.66", spoof: "192.0.2.9")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{RandomToken()}/refusal", headers: topology.Headers("203.0.113.66", null)))
            .AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");

        // Everyone else behind the same proxy is untouched, and a real link works even from the locked client.
        (await Get(RandomToken(), "203.0.113.67")).AssertProblem(HttpStatusCode.Gone, "activation_link_invalid");
        Assert.Equal(HttpStatusCode.OK, (await Get(token, "203.0.113.67")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(token, "203.0.113.66")).Status);
    }

    static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
