using System.Net;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Sweep;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Security;

public sealed class EnumerationAndAuditTests : IAsyncLifetime
{
    const string NoticeSubject = "Une tentative de création de compte a été faite avec votre adresse";

    LocalStack stack = null!;
    ApiClient api = null!;

    public async Task InitializeAsync()
    {
        // Short, so that the expiry test sees an expiry soon; long enough that a step delayed by a busy machine (two
        // test assemblies share two cores in CI) still comes before its signup's deadline.
        // Tables of its own: the cleanup these tests run must not look at other stacks' signups. Before step 3 a
        // signup has no orchestration, so the notice to a held address's owner and the expiry wait for its looks.
        stack = await SecurityStack.StartAsync(new()
        {
            ["Signup:StepDeadline"] = "00:00:15",
            ["Storage:TablePrefix"] = "e" + Guid.NewGuid().ToString("N")[..12],
            ["Cleanup:StallAfter"] = "00:00:01",
            ["Cleanup:Grace"] = "00:00:00",
        });
        api = new ApiClient(stack);
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Step_one_with_an_accounts_email_is_answered_like_a_fresh_one_and_tells_the_owner_once_a_day()
    {
        string email = SecurityStack.Email("owner");
        (string accountId, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(i == 1 ? email.ToUpperInvariant() : email)).Status);
        }

        Mailbox.Message notice;
        try
        {
            notice = await WithLooksAsync(() => stack.Mailbox.WaitForMessageAsync(email, where: m => m.Subject == NoticeSubject, timeout: TimeSpan.FromSeconds(15)));
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join("\n", (await stack.Mailbox.ListAsync(email)).Select(m => m.Subject)) + "\n" + string.Join("\n", stack.Logs.Lines.Where(l => l.Contains("ExistingAccount", StringComparison.Ordinal) || l.Contains("Audit", StringComparison.Ordinal) || l.Contains("Warning", StringComparison.Ordinal))));
            throw;
        }
        Assert.Contains(email, notice.PlainText, StringComparison.Ordinal);
        await Task.Delay(1_000);
        Assert.Single(await stack.Mailbox.ListAsync(email), m => m.Subject == NoticeSubject);

        IReadOnlyList<AuditEntity> audit = await WithLooksAsync(() => WaitForAuditAsync(accountId, 3 + 3));
        Assert.Equal(3, audit.Count(e => e.Event == AuditEvent.ExistingAccountAttempt));
    }

    [Fact]
    public async Task A_look_run_again_records_the_attempt_on_an_accounts_email_once()
    {
        // A cleanup run stopped between the notice and the removal of its look does the look again.
        string email = SecurityStack.Email("again");
        (string accountId, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);
        ExistingAccountNotifier notifier = stack.Services.GetRequiredService<ExistingAccountNotifier>();
        DateTimeOffset attemptedAt = DateTimeOffset.UtcNow;

        for (int i = 0; i < 2; i++)
        {
            await notifier.NotifyAsync(email, client: null, CancellationToken.None, attempt: ("attempt-one", attemptedAt));
        }

        await notifier.NotifyAsync(email, client: null, CancellationToken.None, attempt: ("attempt-two", attemptedAt));

        IReadOnlyList<AuditEntity> audit = await stack.AuditAsync(accountId);
        Assert.Equal(2, audit.Count(e => e.Event == AuditEvent.ExistingAccountAttempt));
        Assert.All(audit.Where(e => e.Event == AuditEvent.ExistingAccountAttempt), e => Assert.True((e.OccurredAt - attemptedAt).Duration() < TimeSpan.FromMilliseconds(1)));
        await stack.Mailbox.WaitForMessageAsync(email, where: m => m.Subject == NoticeSubject, timeout: TimeSpan.FromSeconds(15));
        await Task.Delay(1_000);
        Assert.Single(await stack.Mailbox.ListAsync(email), m => m.Subject == NoticeSubject);
    }

    [Fact]
    public async Task A_signup_with_a_held_email_reads_like_a_fresh_one_and_its_step_three_sends_the_notice_instead_of_a_link()
    {
        string email = SecurityStack.Email("pending");
        await api.UntilActivationEmailAsync(email);

        (string duplicateId, ApiClient.Response[] duplicate) = await StepsAsync(email);
        (_, ApiClient.Response[] fresh) = await StepsAsync(SecurityStack.Email("fresh"));
        Assert.Equal(fresh.Select(Shape), duplicate.Select(Shape));

        Mailbox.Message notice = await stack.Mailbox.WaitForMessageAsync(email, where: m => m.Subject == NoticeSubject, timeout: TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("token=", notice.PlainText, StringComparison.Ordinal);
        await api.WaitForSignupAsync(duplicateId, r => r.Body?["emailDelivery"]?.GetValue<string>() == "Sent");
        await Task.Delay(1_000);
        Assert.Equal(2, (await stack.Mailbox.ListAsync(email)).Count);
    }

    [Fact]
    public async Task Without_enumeration_protection_step_one_answers_409_for_an_accounts_email_and_tells_the_owner()
    {
        await using LocalStack strict = await SecurityStack.StartAsync(new() { ["Security:EnumerationProtection"] = "false" });
        var client = new ApiClient(strict);
        string email = SecurityStack.Email("strict");
        (_, string token) = await client.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await client.ActivateAsync(token)).Status);

        (await client.StartAsync(email)).AssertProblem(HttpStatusCode.Conflict, "email_taken");
        await strict.Mailbox.WaitForMessageAsync(email, where: m => m.Subject == NoticeSubject, timeout: TimeSpan.FromSeconds(15));
    }

    async Task<(string SignupId, ApiClient.Response[] Responses)> StepsAsync(string email)
    {
        ApiClient.Response started = await api.StartAsync(email);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string id = started.Text("signupId");
        ApiClient.Response details = await api.DetailsAsync(id, email);
        Assert.Equal(HttpStatusCode.OK, details.Status);
        ApiClient.Response workspaces = await api.WorkspacesAsync(id);
        Assert.Equal(HttpStatusCode.Accepted, workspaces.Status);
        return (id, [started, details, workspaces]);
    }

    /// <summary>The status, and each body field with whether it is null, an object, a string…: what a prober could compare.</summary>
    static string Shape(ApiClient.Response response) =>
        $"{(int)response.Status}:" + string.Join(',', Fields(response.Body, ""));

    static IEnumerable<string> Fields(System.Text.Json.Nodes.JsonNode? node, string path) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Fields(p.Value, $"{path}.{p.Key}")),
        null => [$"{path}=null"],
        _ => [$"{path}={node.GetValueKind()}"],
    };

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
            [AuditEvent.Started, AuditEvent.EmailSent, AuditEvent.Resend, AuditEvent.EmailSent, AuditEvent.FailedActivation, AuditEvent.Activation],
            audit.Select(e => e.Event));
        Assert.Equal(["link 1", "link 2"], audit.Where(e => e.Event == AuditEvent.EmailSent).Select(e => e.Detail));
        Assert.Equal("validation_failed", audit.Single(e => e.Event == AuditEvent.FailedActivation).Detail);

        string expectedHash = stack.Services.GetRequiredService<SecurityKeys>().ClientHash(new ClientContext("127.0.0.1", "127.0.0.1"));
        Assert.All(audit.Where(e => e.Event != AuditEvent.EmailSent), e => Assert.Equal(expectedHash, e.ClientHash));
        Assert.All(audit.Where(e => e.Event == AuditEvent.EmailSent), e => Assert.Null(e.ClientHash));
        Assert.True(audit.Zip(audit.Skip(1)).All(pair => pair.First.OccurredAt <= pair.Second.OccurredAt));
    }

    [Fact]
    public async Task Deactivation_and_expiry_are_audited()
    {
        string email = SecurityStack.Email("closed");
        (string closed, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}/deactivation")).Status);
        Assert.Contains(await stack.AuditAsync(closed), e => e.Event == AuditEvent.Deactivation);

        ApiClient.Response started = await api.StartAsync(SecurityStack.Email("expiry"));
        string expiring = started.Text("signupId");
        await api.WaitForSignupAsync(expiring, r => r.Body?["status"]?.GetValue<string>() == "Expired");
        IReadOnlyList<AuditEntity> audit = await WithLooksAsync(() => WaitForAuditAsync(expiring, 2));
        Assert.Equal([AuditEvent.Started, AuditEvent.Expiry], audit.Select(e => e.Event));
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

    /// <summary>Runs the cleanup every half second, as its timer would, while <paramref name="wait"/> waits.</summary>
    async Task<T> WithLooksAsync<T>(Func<Task<T>> wait)
    {
        using var done = new CancellationTokenSource();
        CleanupService cleanup = stack.Services.GetRequiredService<CleanupService>();
        DurableTaskClient durable = stack.Services.GetRequiredService<DurableTaskClient>();
        Task looks = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await cleanup.RunAsync(durable, done.Token);
                await Task.Delay(500, done.Token);
            }
        });
        try
        {
            return await wait();
        }
        finally
        {
            await done.CancelAsync();
            await Task.WhenAny(looks);
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
