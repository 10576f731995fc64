using System.Net;
using System.Text.Json.Nodes;
using ChorusFunctions.Activation;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Signup;

/// <summary>
/// A signup's data belongs to the browser that started it: step 1's cookie is needed by every request on the signup,
/// and a stale link asks for a new one by itself, without naming the signup.
/// </summary>
public sealed class SignupCookieTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    readonly ApiClient api = new(fixture.Stack);

    [Fact]
    public async Task Step_1_sets_an_HttpOnly_SameSite_Strict_cookie_for_the_signup_path_and_stores_only_its_hash()
    {
        ApiClient.Response started = await api.StartAsync(Sirets.NewEmail("cookie"));
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string id = started.Text("signupId");

        string setCookie = Assert.Single(started.Raw.Headers.GetValues("Set-Cookie"));
        string[] parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith(SignupCookie.Name + "=", parts[0], StringComparison.Ordinal);
        string secret = parts[0][(SignupCookie.Name.Length + 1)..];
        Assert.True(ActivationTokens.LooksValid(secret), $"not a 256-bit base64url secret: {secret}");
        Assert.Contains("httponly", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains($"path=/api/signups/{id}", parts, StringComparer.OrdinalIgnoreCase);
        // Plain http on 127.0.0.1: the one case without Secure (a browser would drop a Secure cookie here).
        Assert.DoesNotContain("secure", parts, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(parts, p => p.StartsWith("expires", StringComparison.OrdinalIgnoreCase) || p.StartsWith("max-age", StringComparison.OrdinalIgnoreCase));

        SignupEntity row = (await fixture.Stack.Services.GetRequiredService<SignupStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ActivationTokens.Hash(secret), row.OwnerHash);
        Assert.DoesNotContain(fixture.Stack.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Behind_https_the_cookie_is_Secure()
    {
        ApiClient.Response started = await api.SendAsync(HttpMethod.Post, "api/signups",
            new { loginEmail = Sirets.NewEmail("cookie-https"), identifierType = "SIRET", identifier = Sirets.NewValid() },
            new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Contains("secure", Assert.Single(started.Raw.Headers.GetValues("Set-Cookie")).Split(';', StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_the_cookie_or_with_a_wrong_one_every_request_on_the_signup_is_the_404_of_an_unknown_id()
    {
        string email = Sirets.NewEmail("cookie-404");
        string id = (await api.StartAsync(email)).Text("signupId");
        using var stranger = new HttpClient { BaseAddress = fixture.Stack.BaseUrl };
        string wrong = $"{SignupCookie.Name}={new string('A', 43)}";
        string unknown = Guid.NewGuid().ToString("N");
        string notFound = (await SendAsync(fixture.Stack.Http, HttpMethod.Get, $"api/signups/{unknown}")).Body;

        foreach (string? cookie in new[] { null, wrong })
        {
            foreach ((HttpMethod method, string path, object? body) in Requests(id, email))
            {
                (HttpStatusCode status, string text) = await SendAsync(stranger, method, path, body, cookie);
                Assert.True(status == HttpStatusCode.NotFound, $"{method} {path} with cookie {cookie ?? "none"}: {(int)status} {text}");
                Assert.Equal(notFound, text);
            }
        }

        // Nothing happened to it: with its cookie, the signup goes on as before.
        Assert.Equal("AwaitingDetails", (await api.GetSignupAsync(id)).Text("status"));
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(id, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(id)).Status);
        await fixture.Stack.WaitForEmailAsync(email);
        await api.WaitForSignupAsync(id, r => r.Body?["emailDelivery"]?.GetValue<string>() == "Sent");
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{id}/activation-email")).Status);
        await fixture.Stack.WaitForEmailAsync(email, 2);

        // Cancelling needs it too (before step 3).
        string other = Sirets.NewEmail("cookie-404");
        string otherId = (await api.StartAsync(other)).Text("signupId");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(stranger, HttpMethod.Delete, $"api/signups/{otherId}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Delete, $"api/signups/{otherId}")).Status);
    }

    [Fact]
    public async Task A_retried_step_1_with_the_same_key_gets_a_working_cookie()
    {
        string email = Sirets.NewEmail("cookie-retry");
        string siret = Sirets.NewValid();
        string key = Guid.NewGuid().ToString();
        ApiClient.Response first = await api.StartAsync(email, siret, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);

        // The first answer was lost: a fresh client, with no cookie, sends the same request again.
        using var retrying = new HttpClient(new SignupCookieJar(new HttpClientHandler { UseCookies = false })) { BaseAddress = fixture.Stack.BaseUrl };
        var retryApi = new ApiClient(fixture.Stack, retrying);
        ApiClient.Response retried = await retryApi.StartAsync(email, siret, key);
        Assert.Equal(HttpStatusCode.Created, retried.Status);
        string id = retried.Text("signupId");
        Assert.Equal(first.Text("signupId"), id);
        Assert.Equal(Assert.Single(first.Raw.Headers.GetValues("Set-Cookie")), Assert.Single(retried.Raw.Headers.GetValues("Set-Cookie")));

        Assert.Equal(HttpStatusCode.OK, (await retryApi.GetSignupAsync(id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await retryApi.DetailsAsync(id, email)).Status);
    }

    [Fact]
    public async Task A_stale_link_names_no_signup_and_asks_for_a_new_one_by_itself_within_the_limits()
    {
        string email = Sirets.NewEmail("cookie-renewal");
        (string id, string first) = await api.UntilActivationEmailAsync(email);
        await api.WaitForSignupAsync(id, r => r.Body?["emailDelivery"]?.GetValue<string>() == "Sent");
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{id}/activation-email")).Status);
        await fixture.Stack.WaitForEmailAsync(email, 2);

        ApiClient.Response stale = await api.SendAsync(HttpMethod.Get, $"api/activations/{first}");
        Assert.Equal(HttpStatusCode.Gone, stale.Status);
        Assert.True(stale.Body!["canRequestNewLink"]!.GetValue<bool>());
        Assert.Null(stale.Body["signupId"]);
        Assert.DoesNotContain(id, stale.Body.ToJsonString(), StringComparison.Ordinal);

        // From a browser without the cookie (the email opened elsewhere): the old link asks, the new link arrives.
        using var elsewhere = new HttpClient { BaseAddress = fixture.Stack.BaseUrl };
        (HttpStatusCode renewed, string renewedBody) = await SendAsync(elsewhere, HttpMethod.Post, $"api/activations/{first}/renewal");
        Assert.Equal(HttpStatusCode.Accepted, renewed);
        Assert.Equal("", renewedBody);
        Mailbox.Message third = await fixture.Stack.WaitForEmailAsync(email, 3);
        string newest = Mailbox.ActivationToken(third);
        Assert.NotEqual(first, newest);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/activations/{newest}")).Status);

        // Three new links an hour per signup, by cookie and by link alike: the cookie's one, this one, one more.
        await api.WaitForSignupAsync(id, r => r.Body?["emailDelivery"]?.GetValue<string>() == "Sent");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(elsewhere, HttpMethod.Post, $"api/activations/{first}/renewal")).Status);
        await fixture.Stack.WaitForEmailAsync(email, 4);
        (HttpStatusCode limited, string limitedBody) = await SendAsync(elsewhere, HttpMethod.Post, $"api/activations/{newest}/renewal");
        Assert.True(limited == HttpStatusCode.TooManyRequests, limitedBody);
        Assert.Equal("rate_limited", JsonNode.Parse(limitedBody)!["code"]!.GetValue<string>());

        // A link of no signup says only that it is not valid.
        (HttpStatusCode unknown, string unknownBody) = await SendAsync(elsewhere, HttpMethod.Post, $"api/activations/{new string('B', 43)}/renewal");
        Assert.Equal(HttpStatusCode.Gone, unknown);
        Assert.False(JsonNode.Parse(unknownBody)!["canRequestNewLink"]!.GetValue<bool>());
    }

    static IEnumerable<(HttpMethod, string, object?)> Requests(string id, string email) =>
    [
        (HttpMethod.Get, $"api/signups/{id}", null),
        (HttpMethod.Put, $"api/signups/{id}/details", new
        {
            loginEmailConfirmation = email,
            lastName = "Lucas",
            firstName = "Georges",
            structure = new { companyName = "ETS", address = "8 RUE DES CHAMPS", postalCode = "91100", city = "CORBEIL-ESSONNES", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        }),
        (HttpMethod.Put, $"api/signups/{id}/workspaces", new { workspaces = new[] { "FACTURES_EMISES" } }),
        (HttpMethod.Post, $"api/signups/{id}/activation-email", null),
        (HttpMethod.Delete, $"api/signups/{id}", null),
    ];

    static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
