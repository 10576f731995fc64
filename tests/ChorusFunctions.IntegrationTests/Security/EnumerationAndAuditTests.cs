using System.Net;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Security;

public sealed class EnumerationAndAuditTests : IAsyncLifetime
{
    const string NoticeSubject = "Une tentative de création de compte a été faite avec votre adresse";

    LocalStack stack = null!;
    ApiClient api = null!;

    public async Task InitializeAsync()
    {
        stack = await SecurityStack.StartAsync(new() { ["Signup:StepDeadline"] = "00:00:04" });
        api = new ApiClient(stack);
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Step_one_with_an_accounts_email_answers_409_and_tells_the_owner_once_a_day()
    {
        string email = SecurityStack.Email("owner");
        (string accountId, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);

        for (int i = 0; i < 3; i++)
        {
            ApiClient.Response taken = await api.StartAsync(i == 1 ? email.ToUpperInvariant() : email);
            taken.AssertProblem(HttpStatusCode.Conflict, "email_taken");
        }

        Mailbox.Message notice;
        try
        {
            notice = await stack.Mailbox.WaitForMessageAsync(email, where: m => m.Subject == NoticeSubject, timeout: TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join("\n", (await stack.Mailbox.ListAsync(email)).Select(m => m.Subject)) + "\n" + string.Join("\n", stack.Logs.Lines.Where(l => l.Contains("ExistingAccount", StringComparison.Ordinal) || l.Contains("Audit", StringComparison.Ordinal) || l.Contains("Warning", StringComparison.Ordinal))));
            throw;
        }
        Assert.Contains(email, notice.PlainText, StringComparison.Ordinal);
        await Task.Delay(1_000);
        Assert.Single(await stack.Mailbox.ListAsync(email), m => m.Subject == NoticeSubject);

        IReadOnlyList<AuditEntity> audit = await stack.AuditAsync(accountId);
        Assert.Equal(3, audit.Count(e => e.Event == nameof(AuditEvent.ExistingAccountAttempt)));
    }

    [Fact]
    public async Task A_signup_in_progress_is_not_an_account_its_owner_gets_no_notice()
    {
        string email = SecurityStack.Email("pending");
        await api.UntilActivationEmailAsync(email);
        (await api.StartAsync(email)).AssertProblem(HttpStatusCode.Conflict, "email_taken");
        await Task.Delay(1_000);
        Assert.DoesNotContain(await stack.Mailbox.ListAsync(email), m => m.Subject == NoticeSubject);
    }

    [Fact]
    public async Task The_audit_trail_records_a_signups_security_events_with_a_keyed_client_hash()
    {
        string email = SecurityStack.Email("audit");
        (string signupId, _) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).Status);
        string token = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email, 2));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.ActivateAsync(token, "court")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);

        IReadOnlyList<AuditEntity> audit = await WaitForAuditAsync(signupId, 6);
        Assert.Equal(
            [nameof(AuditEvent.Started), nameof(AuditEvent.EmailSent), nameof(AuditEvent.Resend), nameof(AuditEvent.EmailSent), nameof(AuditEvent.FailedActivation), nameof(AuditEvent.Activation)],
            audit.Select(e => e.Event));
        Assert.Equal(["link 1", "link 2"], audit.Where(e => e.Event == nameof(AuditEvent.EmailSent)).Select(e => e.Detail));
        Assert.Equal("validation_failed", audit.Single(e => e.Event == nameof(AuditEvent.FailedActivation)).Detail);

        string expectedHash = stack.Services.GetRequiredService<SecurityKeys>().ClientHash(new ClientContext("127.0.0.1", "127.0.0.1"));
        Assert.All(audit.Where(e => e.Event != nameof(AuditEvent.EmailSent)), e => Assert.Equal(expectedHash, e.ClientHash));
        Assert.All(audit.Where(e => e.Event == nameof(AuditEvent.EmailSent)), e => Assert.Null(e.ClientHash));
        Assert.True(audit.Zip(audit.Skip(1)).All(pair => pair.First.OccurredAt <= pair.Second.OccurredAt));
    }

    [Fact]
    public async Task Deactivation_and_expiry_are_audited()
    {
        string email = SecurityStack.Email("closed");
        (string closed, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation")).Status);
        Assert.Contains(await stack.AuditAsync(closed), e => e.Event == nameof(AuditEvent.Deactivation));

        ApiClient.Response started = await api.StartAsync(SecurityStack.Email("expiry"));
        string expiring = started.Text("signupId");
        await api.WaitForSignupAsync(expiring, r => r.Body?["status"]?.GetValue<string>() == "Expired");
        IReadOnlyList<AuditEntity> audit = await WaitForAuditAsync(expiring, 2);
        Assert.Equal([nameof(AuditEvent.Started), nameof(AuditEvent.Expiry)], audit.Select(e => e.Event));
    }

    [Fact]
    public async Task Without_configured_origins_nothing_is_allowed_cross_origin()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(HttpHardeningTests.PreflightFrom("https://portail.example"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_audit_trail_is_not_exposed_over_http()
    {
        foreach (string path in new[] { "api/audit", "api/audit-trail", "api/signups/audit", "api/AuditTrail" })
        {
            ApiClient.Response response = await api.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.NotFound, response.Status);
            // An unmatched address is the host's empty 404; "signups/audit" is a signup id that does not exist.
            Assert.Contains(response.Code, new[] { null, "signup_not_found" });
        }
    }

    async Task<IReadOnlyList<AuditEntity>> WaitForAuditAsync(string subject, int count)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            IReadOnlyList<AuditEntity> audit = await stack.AuditAsync(subject);
            if (audit.Count >= count || DateTime.UtcNow > deadline)
            {
                return audit;
            }

            await Task.Delay(200);
        }
    }
}
