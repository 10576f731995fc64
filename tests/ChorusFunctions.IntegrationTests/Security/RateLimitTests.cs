using System.Net;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>Tight limits set by settings prove each limit holds; 429 problems carry Retry-After.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Step_one_is_limited_per_client_address()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["RateLimits:SignupPerIp:PermitLimit"] = "3", ["RateLimits:SignupPerIp:Window"] = "00:10:00" });
        var api = new ApiClient(stack);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(SecurityStack.Email("ip"))).Status);
        }

        ApiClient.Response limited = await api.StartAsync(SecurityStack.Email("ip"));
        limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(limited.RetryAfter(), 1, 600);
        Assert.False(string.IsNullOrWhiteSpace(limited.Body!["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Step_one_is_limited_per_email_and_per_identifier()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["RateLimits:SignupPerEmail:PermitLimit"] = "2",
            ["RateLimits:SignupPerIdentifier:PermitLimit"] = "3",
        });
        var api = new ApiClient(stack);
        string email = SecurityStack.Email("email");
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email.ToUpperInvariant())).Status);
        (await api.StartAsync(" " + email)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        string siret = Sirets.NewValid();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(SecurityStack.Email("siret"), siret)).Status);
        }

        (await api.StartAsync(SecurityStack.Email("siret"), siret)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Limits_hold_across_instances_through_the_shared_counter()
    {
        string key = SecurityStack.NewKey();
        var settings = new Dictionary<string, string?>
        {
            ["Security:AuditKey"] = key,
            ["RateLimits:CaptchaPerIp:PermitLimit"] = "4",
            ["RateLimits:CaptchaPerIp:Window"] = "00:10:00",
        };
        await using LocalStack first = await SecurityStack.StartAsync(settings);
        await using LocalStack second = await SecurityStack.StartAsync(settings);
        var a = new ApiClient(first);
        var b = new ApiClient(second);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Get, "api/captcha")).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Get, "api/captcha")).Status);
        Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Get, "api/captcha")).Status);
        Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Get, "api/captcha")).Status);

        // Each instance has counted only 2 by itself: the refusal comes from the Table-backed counter.
        (await a.SendAsync(HttpMethod.Get, "api/captcha")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await b.SendAsync(HttpMethod.Get, "api/captcha")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task New_links_captchas_activation_and_strength_checks_are_limited()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["RateLimits:ResendPerSignup:PermitLimit"] = "1",
            ["RateLimits:CaptchaPerIp:PermitLimit"] = "2",
            ["RateLimits:PasswordStrengthPerIp:PermitLimit"] = "2",
            ["RateLimits:ActivationPerToken:PermitLimit"] = "2",
        });
        var api = new ApiClient(stack);

        // An image and a text question share one captcha limit.
        foreach (string captcha in new[] { "api/captcha", "api/captcha?kind=text" })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, captcha)).Status);
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, "api/password-strength", new { password = "x" })).Status);
        }

        (await api.SendAsync(HttpMethod.Get, "api/captcha")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await api.SendAsync(HttpMethod.Get, "api/captcha?kind=text")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await api.SendAsync(HttpMethod.Post, "api/password-strength", new { password = "x" })).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        string email = SecurityStack.Email("resend");
        (string signupId, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).Status);
        (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        string newToken = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email, 2));
        var bad = new { password = "Jardin-Truffaut-2026", passwordConfirmation = "different", secretQuestion = "Ville", secretAnswer = "Corbeil" };
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"api/activations/{newToken}", bad)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"api/activations/{newToken}", bad)).Status);
        (await api.ActivateAsync(newToken)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotEqual(token, newToken);
    }

    [Fact]
    public async Task New_links_are_capped_at_three_an_hour_and_each_refusal_is_counted()
    {
        await using LocalStack stack = await SecurityStack.StartAsync();
        var api = new ApiClient(stack);
        (string signupId, _) = await api.UntilActivationEmailAsync(SecurityStack.Email("three"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).Status);
        }

        ApiClient.Response limited = await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email");
        limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(limited.RetryAfter(), 1, 3600);

        System.Text.Json.Nodes.JsonArray metrics = System.Text.Json.Nodes.JsonNode.Parse(await api.Http.GetStringAsync("local/metrics"))!.AsArray();
        Assert.Contains(metrics, m => m!["name"]!.GetValue<string>() == "chorus.requests.rate_limited" && m["count"]!.GetValue<long>() >= 1);
    }

    [Fact]
    public async Task Requests_on_a_signup_are_limited_per_signup_and_per_client_and_replays_never_fail()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["RateLimits:SignupRequestPerSignup:PermitLimit"] = "12",
            ["RateLimits:SignupRequestPerSignup:Window"] = "00:10:00",
        });
        var api = new ApiClient(stack);
        string email = SecurityStack.Email("replay");
        string signupId = (await api.StartAsync(email)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);

        // Replays of step 3 are answered as the first time until the signup's allowance is spent, then 429: never a
        // 5xx, whatever the number.
        ApiClient.Response[] replays = new ApiClient.Response[20];
        for (int i = 0; i < replays.Length; i++)
        {
            replays[i] = await api.WorkspacesAsync(signupId);
        }

        Assert.All(replays, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
        Assert.Equal(10, replays.Count(r => r.Status == HttpStatusCode.Accepted));
        replays[^1].AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(replays[^1].RetryAfter(), 1, 600);
        (await api.GetSignupAsync(signupId)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await api.SendAsync(HttpMethod.Delete, $"api/signups/{signupId}")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        // Another signup of the same client is not held back by this one's limit.
        string other = SecurityStack.Email("other");
        string otherId = (await api.StartAsync(other)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.GetSignupAsync(otherId)).Status);

        await using LocalStack perClient = await SecurityStack.StartAsync(new() { ["RateLimits:SignupRequestPerIp:PermitLimit"] = "3", ["RateLimits:SignupRequestPerIp:Window"] = "00:10:00" });
        var client = new ApiClient(perClient);
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => (await client.StartAsync(SecurityStack.Email("client"))).Text("signupId")));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetSignupAsync(ids[i])).Status);
        }

        (await client.GetSignupAsync(ids[3])).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Email_and_identifier_limits_are_per_client_under_a_higher_ceiling_per_subject()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["RateLimits:SignupPerEmail:PermitLimit"] = "2",
            ["RateLimits:SignupPerEmailGlobal:PermitLimit"] = "3",
        });
        var api = new ApiClient(stack);
        string email = SecurityStack.Email("victim");
        Task<ApiClient.Response> StartFrom(string address) => api.SendAsync(HttpMethod.Post, "api/signups",
            new { loginEmail = email, identifierType = "SIRET", identifier = Sirets.NewValid() },
            new Dictionary<string, string> { ["X-Forwarded-For"] = address });

        // A stranger exhausts their own allowance for my email; mine is intact.
        Assert.Equal(HttpStatusCode.Created, (await StartFrom("198.51.100.7")).Status);
        Assert.Equal(HttpStatusCode.Created, (await StartFrom("198.51.100.7")).Status);
        (await StartFrom("198.51.100.7")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(HttpStatusCode.Created, (await StartFrom("203.0.113.9")).Status);

        // The ceiling per email counts what the clients were allowed (2 + 1): a third client meets it.
        (await StartFrom("192.0.2.44")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task New_links_to_one_mailbox_are_budgeted_across_signups_and_spellings()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["RateLimits:ResendPerMailbox:PermitLimit"] = "2" });
        var api = new ApiClient(stack);
        string name = Guid.NewGuid().ToString("N")[..12];
        (string first, _) = await api.UntilActivationEmailAsync($"jean.dupont.{name}@gmail.com");
        (string second, _) = await api.UntilActivationEmailAsync($"jeandupont{name}+factures@gmail.com");

        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{first}/activation-email")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{second}/activation-email")).Status);
        ApiClient.Response limited = await api.SendAsync(HttpMethod.Post, $"api/signups/{first}/activation-email");
        limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(limited.RetryAfter(), 1, 86_400);
    }

    [Fact]
    public async Task The_global_email_budget_keeps_its_reserve_for_first_activation_emails()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["RateLimits:EmailsPerMinute:PermitLimit"] = "3",
            ["RateLimits:EmailsPerMinute:Window"] = "00:10:00",
            ["RateLimits:EmailReserve"] = "1",
        });
        var api = new ApiClient(stack);
        (string first, _) = await api.UntilActivationEmailAsync(SecurityStack.Email("budget"));
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{first}/activation-email")).Status);

        // Two of three spent: the last one is the reserve, which a new link may not take and a first link may.
        (await api.SendAsync(HttpMethod.Post, $"api/signups/{first}/activation-email")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        await api.UntilActivationEmailAsync(SecurityStack.Email("reserve"));

        string email = SecurityStack.Email("spent");
        string late = (await api.StartAsync(email)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(late, email)).Status);
        ApiClient.Response refused = await api.WorkspacesAsync(late);
        refused.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(refused.RetryAfter(), 1, 600);
    }
}
