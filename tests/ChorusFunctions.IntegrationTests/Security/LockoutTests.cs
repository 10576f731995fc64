using System.Net;
using System.Security.Cryptography;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Security;

public sealed class LockoutTests
{
    static object Mismatch => new { password = "Jardin-Truffaut-2026", passwordConfirmation = "Jardin-Truffaut-2027", secretQuestion = "Ville", secretAnswer = "Corbeil" };

    static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task Refused_activation_attempts_lock_the_signup_for_a_while()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["Lockout:MaxFailedActivations"] = "3", ["Lockout:Duration"] = "00:05:00" });
        var api = new ApiClient(stack);
        (string signupId, string token) = await api.UntilActivationEmailAsync(SecurityStack.Email("lock"));

        for (int i = 0; i < 3; i++)
        {
            (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}", Mismatch)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        }

        // Even the right answer is refused now, and the deactivation too; the page itself still shows.
        ApiClient.Response locked = await api.ActivateAsync(token);
        locked.AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        Assert.InRange(locked.RetryAfter(), 200, 300);
        (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/activations/{token}")).Status);

        IReadOnlyList<AuditEntity> audit = await stack.AuditAsync(signupId);
        Assert.Equal(3, audit.Count(e => e.Event == AuditEvent.FailedActivation));
        Assert.Single(audit, e => e.Event == AuditEvent.Lockout);
        Assert.DoesNotContain(audit, e => e.Event == AuditEvent.Activation);
    }

    [Fact]
    public async Task Unknown_links_from_one_address_lock_it_out_of_activation()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["Lockout:MaxUnknownTokens"] = "3" });
        var api = new ApiClient(stack);
        (_, string token) = await api.UntilActivationEmailAsync(SecurityStack.Email("guess"));

        // Malformed tokens cannot be right: they are refused but not counted.
        for (int i = 0; i < 5; i++)
        {
            (await api.SendAsync(HttpMethod.Get, "api/activations/abc")).AssertProblem(HttpStatusCode.Gone, "activation_link_invalid");
        }

        for (int i = 0; i < 3; i++)
        {
            (await api.SendAsync(HttpMethod.Get, $"api/activations/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "activation_link_invalid");
        }

        (await api.SendAsync(HttpMethod.Get, $"api/activations/{RandomToken()}")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        (await api.SendAsync(HttpMethod.Get, "api/activations/abc")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");

        // The lock refuses guesses only: a link that matches a signup still works from the locked address.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/activations/{token}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);
    }

    [Fact]
    public async Task Unknown_joining_request_links_count_toward_the_same_lockout()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["Lockout:MaxUnknownTokens"] = "3" });
        var api = new ApiClient(stack);

        (await api.SendAsync(HttpMethod.Get, $"api/join-requests/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "join_request_link_invalid");
        (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{RandomToken()}/approval")).AssertProblem(HttpStatusCode.Gone, "join_request_link_invalid");
        (await api.SendAsync(HttpMethod.Get, $"api/activations/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "activation_link_invalid");

        // A guesser is locked out of both kinds of link.
        (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{RandomToken()}/refusal")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        (await api.SendAsync(HttpMethod.Get, $"api/activations/{RandomToken()}")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
    }

    [Fact]
    public async Task Unknown_contact_verification_links_count_toward_the_same_lockout()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new() { ["Lockout:MaxUnknownTokens"] = "3" });
        var api = new ApiClient(stack);

        (await api.SendAsync(HttpMethod.Get, $"api/contact-verifications/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "contact_verification_link_invalid");
        (await api.SendAsync(HttpMethod.Post, $"api/contact-verifications/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "contact_verification_link_invalid");
        (await api.SendAsync(HttpMethod.Get, $"api/join-requests/{RandomToken()}")).AssertProblem(HttpStatusCode.Gone, "join_request_link_invalid");

        (await api.SendAsync(HttpMethod.Post, $"api/contact-verifications/{RandomToken()}")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
        (await api.SendAsync(HttpMethod.Get, $"api/activations/{RandomToken()}")).AssertProblem(HttpStatusCode.TooManyRequests, "activation_locked");
    }
}
