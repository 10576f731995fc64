using System.Net;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Signup;

/// <summary>Requests a person retries after losing the answer get the answer of the first attempt.</summary>
public sealed class RetryTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    readonly ApiClient api = new(fixture.Stack);

    [Fact]
    public async Task Step_one_sent_again_with_its_idempotency_key_answers_the_same_signup()
    {
        string email = Sirets.NewEmail("idem");
        string siret = Sirets.NewValid();
        string key = $"\"{Guid.NewGuid()}\"";

        ApiClient.Response first = await api.StartAsync(email, siret, key);
        ApiClient.Response again = await api.StartAsync(email, siret, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Text("signupId"), again.Text("signupId"));
        Assert.Equal(first.Raw.Headers.Location, again.Raw.Headers.Location);

        // Another body under the same key is refused; the same email without a key starts another signup (step 1
        // holds nothing).
        ApiClient.Response otherBody = await api.StartAsync(Sirets.NewEmail("idem-other"), siret, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.Status);
        Assert.Equal("idempotency_key_reused", otherBody.Code);
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email, siret)).Status);

        // Once the signup left step 1 the key is spent.
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(first.Text("signupId"), email)).Status);
        Assert.Equal("idempotency_key_reused", (await api.StartAsync(email, siret, key)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("deux mots")]
    [InlineData("\"a\"b\"")]
    public async Task A_key_that_cannot_be_one_is_refused_before_anything_is_written(string key)
    {
        string email = Sirets.NewEmail("badkey");
        ApiClient.Response refused = await api.StartAsync(email, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
    }

    [Fact]
    public async Task An_activation_sent_again_gets_the_first_answer_and_only_the_same_request_does()
    {
        string email = Sirets.NewEmail("activate-twice");
        (string signupId, string token) = await api.UntilActivationEmailAsync(email);

        ApiClient.Response first = await api.ActivateAsync(token);
        ApiClient.Response again = await api.ActivateAsync(token);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("Active", again.Text("status"));
        Assert.Equal(signupId, again.Text("signupId"));

        // Another password on the used link is not a retry.
        ApiClient.Response other = await api.ActivateAsync(token, "Autre-Mot-De-Passe-2026");
        Assert.Equal(HttpStatusCode.Gone, other.Status);
        Assert.Equal(HttpStatusCode.Gone, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation")).Status);
    }

    [Fact]
    public async Task A_deactivation_sent_again_gets_the_first_answer()
    {
        string email = Sirets.NewEmail("deactivate-twice");
        (_, string token) = await api.UntilActivationEmailAsync(email);

        ApiClient.Response first = await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation");
        ApiClient.Response again = await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("Cancelled", again.Text("status"));
        Assert.Equal(HttpStatusCode.Gone, (await api.ActivateAsync(token)).Status);
    }
}
