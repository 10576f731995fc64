using System.Net;
using System.Text;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Signup;

/// <summary>Bad input of every kind is a 4xx problem detail, never a 5xx.</summary>
public sealed class MalformedRequestTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    public static TheoryData<string, string, string?, string?> Requests()
    {
        string id = new('a', 32);
        var data = new TheoryData<string, string, string?, string?>
        {
            { "POST", "api/signups", "{", "application/json" },
            { "POST", "api/signups", "", "application/json" },
            { "POST", "api/signups", "null", "application/json" },
            { "POST", "api/signups", "[]", "application/json" },
            { "POST", "api/signups", "42", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":5}", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"a@b.fr\",\"identifierType\":\"SIRET\",\"identifier\":\"x\",\"admin\":true}", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"a@b.fr\"}", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"" + new string('a', 20_000) + "@b.fr\"}", "application/json" },
            { "POST", "api/signups", new string('[', 5_000) + new string(']', 5_000), "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"a\u0000@b.fr\",\"identifierType\":\"SIRET\",\"identifier\":\"73282932000074\"}", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"a@b.fr\",\"identifierType\":\"SIRET' or PartitionKey ne '\",\"identifier\":\"1\"}", "application/json" },
            { "POST", "api/signups", "{\"loginEmail\":\"a@b.fr\"}", "text/plain" },
            { "POST", "api/signups", "loginEmail=a@b.fr", "application/x-www-form-urlencoded" },
            { "POST", "api/signups", "{\"loginEmail\":\"a@b.fr\"}", null },
            { "PUT", $"api/signups/{id}/details", "{}", "application/json" },
            { "PUT", $"api/signups/{id}/workspaces", "{\"workspaces\":[\"NOPE\"]}", "application/json" },
            { "PUT", "api/signups/..%2F..%2Fetc%2Fpasswd/details", "{}", "application/json" },
            { "PUT", "api/signups/x' or '1' eq '1/details", "{}", "application/json" },
            { "GET", "api/signups/" + new string('9', 2_000), null, null },
            { "GET", "api/activations/abc", null, null },
            { "GET", "api/activations/" + new string('A', 43), null, null },
            { "POST", "api/activations/" + new string('A', 43), "{\"password\":[]}", "application/json" },
            { "POST", "api/activations/" + new string('A', 43) + "/deactivation", null, null },
            { "POST", $"api/signups/{id}/activation-email", null, null },
        };
        return data;
    }

    /// <summary>No function runs for these: the Functions host answers an empty 404 itself, wrong methods included, and so does the local host.</summary>
    [Theory]
    [InlineData("DELETE", "api/signups")]
    [InlineData("PATCH", "api/signups/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("GET", "api/does-not-exist")]
    public async Task Unmatched_addresses_and_methods_get_the_hosts_empty_404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await fixture.Stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Bad_requests_get_a_4xx_problem(string method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using HttpResponseMessage response = await fixture.Stack.Http.SendAsync(request);
        int status = (int)response.StatusCode;
        Assert.InRange(status, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_byte_in_the_path_is_refused_by_the_server_before_the_app()
    {
        // Kestrel rejects it while parsing the request line, so no app code (and no problem body) is involved.
        using HttpResponseMessage response = await fixture.Stack.Http.GetAsync("api/signups/%00");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400()
    {
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using HttpResponseMessage response = await fixture.Stack.Http.PostAsync("api/signups", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        using var content = new StringContent("{\"loginEmail\":\"" + new string('a', 100_000) + "\"}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await fixture.Stack.Http.PostAsync("api/signups", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
