using System.Net;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>
/// Step 1 with the captcha on pays a proof of work: refused without one, once per challenge, again for a retry of
/// the same request (same Idempotency-Key), and no longer once it expired. The text captcha's own budget too.
/// </summary>
public sealed class ProofOfWorkTests : IAsyncLifetime
{
    LocalStack stack = null!;
    ApiClient api = null!;

    public async Task InitializeAsync()
    {
        stack = await SecurityStack.StartAsync(new()
        {
            ["Captcha:Provider"] = "Image",
            ["ProofOfWork:Lifetime"] = "00:00:10",
            ["RateLimits:TextCaptchaPerIp:PermitLimit"] = "2",
        });
        api = new ApiClient(stack);
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    Task<ApiClient.Response> StartAsync(string email, JsonNode? proofOfWork, string? key = null) =>
        api.SendAsync(HttpMethod.Post, "api/signups",
            proofOfWork is null
                ? new { loginEmail = email, identifierType = "SIRET", identifier = Sirets.NewValid() }
                : new { loginEmail = email, identifierType = "SIRET", identifier = Sirets.NewValid(), proofOfWork = proofOfWork.DeepClone() },
            key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key });

    Task<ApiClient.Response> StartAsync(string email, string siret, JsonNode proofOfWork, string key) =>
        api.SendAsync(HttpMethod.Post, "api/signups",
            new { loginEmail = email, identifierType = "SIRET", identifier = siret, proofOfWork = proofOfWork.DeepClone() },
            new Dictionary<string, string> { ["Idempotency-Key"] = key });

    [Fact]
    public async Task Step_one_needs_a_solved_challenge_and_takes_each_one_once()
    {
        ApiClient.Response issued = await api.SendAsync(HttpMethod.Get, "api/proof-of-work");
        Assert.Equal(HttpStatusCode.OK, issued.Status);
        Assert.Equal("no-store", issued.Raw.Headers.CacheControl?.ToString());
        Assert.True(issued.Body!["required"]!.GetValue<bool>());
        Assert.Equal(60_000, issued.Body["maxNumber"]!.GetValue<int>());
        JsonObject solution = ApiClient.SolveProofOfWork(issued.Body.AsObject());

        (await StartAsync(SecurityStack.Email("pow"), null)).AssertProblem(HttpStatusCode.BadRequest, "proof_of_work_invalid");
        JsonObject wrong = (JsonObject)solution.DeepClone();
        wrong["number"] = (solution["number"]!.GetValue<int>() + 1) % 60_001;
        ApiClient.Response refused = await StartAsync(SecurityStack.Email("pow"), wrong);
        refused.AssertProblem(HttpStatusCode.BadRequest, "proof_of_work_invalid");
        Assert.Contains("vérification automatique", refused.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        JsonObject unsigned = (JsonObject)solution.DeepClone();
        unsigned["signature"] = new string('0', 64);
        (await StartAsync(SecurityStack.Email("pow"), unsigned)).AssertProblem(HttpStatusCode.BadRequest, "proof_of_work_invalid");

        // The wrong attempts did not spend it; the first right one does.
        Assert.Equal(HttpStatusCode.Created, (await StartAsync(SecurityStack.Email("pow"), solution)).Status);
        ApiClient.Response reused = await StartAsync(SecurityStack.Email("pow"), solution);
        reused.AssertProblem(HttpStatusCode.UnprocessableEntity, "proof_of_work_expired");
        Assert.Contains("«\u00a0Suivant\u00a0»", reused.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await StartAsync(SecurityStack.Email("pow"), solution, Guid.NewGuid().ToString())).AssertProblem(HttpStatusCode.UnprocessableEntity, "proof_of_work_expired");
    }

    [Fact]
    public async Task A_retry_with_the_same_key_is_answered_with_the_same_signup_whatever_solution_it_carries()
    {
        string email = SecurityStack.Email("pow-retry");
        string siret = Sirets.NewValid();
        string key = Guid.NewGuid().ToString();
        JsonObject solution = (await api.SolveProofOfWorkAsync())!;

        ApiClient.Response first = await StartAsync(email, siret, solution, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);

        // The answer was lost: the very same request again, its challenge already used — by this same request.
        ApiClient.Response again = await StartAsync(email, siret, solution, key);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Text("signupId"), again.Text("signupId"));

        // As the front end retries: the same key with a newly solved challenge.
        ApiClient.Response fresh = await StartAsync(email, siret, (await api.SolveProofOfWorkAsync())!, key);
        Assert.Equal(HttpStatusCode.Created, fresh.Status);
        Assert.Equal(first.Text("signupId"), fresh.Text("signupId"));

        // Someone else's request cannot ride on that challenge.
        (await StartAsync(SecurityStack.Email("pow-other"), Sirets.NewValid(), solution, Guid.NewGuid().ToString()))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "proof_of_work_expired");
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_even_unused_and_a_new_one_goes_through()
    {
        ApiClient.Response issued = await api.SendAsync(HttpMethod.Get, "api/proof-of-work");
        JsonObject solution = ApiClient.SolveProofOfWork(issued.Body!.AsObject());
        DateTimeOffset expiresAt = DateTimeOffset.Parse(issued.Text("expiresAt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(11));

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5));
        (await StartAsync(SecurityStack.Email("pow-late"), solution)).AssertProblem(HttpStatusCode.UnprocessableEntity, "proof_of_work_expired");
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(SecurityStack.Email("pow-late"))).Status);
    }

    [Fact]
    public async Task Text_captchas_have_their_own_tighter_budget_and_the_image_stays_available()
    {
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "api/captcha?kind=text")).Status);
        }

        ApiClient.Response limited = await api.SendAsync(HttpMethod.Get, "api/captcha?kind=text");
        limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.RetryAfter() > 0);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "api/captcha")).Status);
    }
}

/// <summary><c>Captcha__Provider=None</c> (the test fixtures' default) turns the proof of work off as well.</summary>
public sealed class ProofOfWorkOffTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    [Fact]
    public async Task With_the_captcha_off_no_challenge_is_issued_and_step_one_needs_none()
    {
        var api = new ApiClient(fixture.Stack);
        ApiClient.Response issued = await api.SendAsync(HttpMethod.Get, "api/proof-of-work");
        Assert.Equal(HttpStatusCode.OK, issued.Status);
        Assert.Equal("""{"required":false}""", issued.Body!.ToJsonString());
        ApiClient.Response started = await api.SendAsync(HttpMethod.Post, "api/signups", new { loginEmail = SecurityStack.Email("pow-off"), identifierType = "SIRET", identifier = Sirets.NewValid() });
        Assert.Equal(HttpStatusCode.Created, started.Status);
    }
}
