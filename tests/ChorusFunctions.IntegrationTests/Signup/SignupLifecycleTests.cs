using ChorusFunctions.Accounts;
using System.Net;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Signup;

/// <summary>The whole product through HTTP on the local host: real Azurite, real SMTP catcher, real durable backend.</summary>
public sealed class SignupLifecycleTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    readonly ApiClient api = new(fixture.Stack);

    [Fact]
    public async Task A_whole_signup_ends_active_with_the_token_read_from_the_email()
    {
        string email = Sirets.NewEmail("walkthrough");
        (string signupId, string token) = await api.UntilActivationEmailAsync(email);

        ApiClient.Response view = await api.SendAsync(HttpMethod.Get, $"api/activations/{token}");
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Equal(email, view.Text("loginEmail"));
        Assert.Equal("Lucas", view.Text("lastName"));

        ApiClient.Response activated = await api.ActivateAsync(token);
        Assert.Equal(HttpStatusCode.OK, activated.Status);
        Assert.Equal("Active", (await api.GetSignupAsync(signupId)).Text("status"));

        DurableTaskClient durable = fixture.Stack.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await durable.WaitForInstanceCompletionAsync(signupId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);

        // The link is used up: only the very same request, sent again, gets an answer (see RetryTests).
        Assert.Equal(HttpStatusCode.Gone, (await api.ActivateAsync(token, "Un-Autre-Mot-2026")).Status);

        // The local host shows what the product's meter recorded (Azure exports the same through OpenTelemetry).
        System.Text.Json.Nodes.JsonArray metrics = System.Text.Json.Nodes.JsonNode.Parse(await api.Http.GetStringAsync("local/metrics"))!.AsArray();
        Assert.Contains(metrics, m => m!["name"]!.GetValue<string>() == "chorus.signups.started" && m["count"]!.GetValue<long>() >= 1);
        Assert.Contains(metrics, m => m!["name"]!.GetValue<string>() == "chorus.signups.activated" && m["count"]!.GetValue<long>() >= 1);
        Assert.Contains(metrics, m => m!["name"]!.GetValue<string>() == "chorus.signups.time_to_activation" && m["unit"]!.GetValue<string>() == "s");

        // An account's email is answered like a fresh one (its owner is told by email: see EnumerationAndAuditTests).
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
    }

    [Fact]
    public async Task Twenty_concurrent_signups_with_one_email_all_go_on_and_exactly_one_holds_it()
    {
        string email = Sirets.NewEmail("concurrent");
        ApiClient.Response[] started = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.StartAsync(email)));
        Assert.All(started, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        string[] ids = started.Select(r => r.Text("signupId")).ToArray();

        ApiClient.Response[] details = await Task.WhenAll(ids.Select(id => api.DetailsAsync(id, email)));
        Assert.All(details, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        ChorusFunctions.Signup.SignupStore store = fixture.Stack.Services.GetRequiredService<ChorusFunctions.Signup.SignupStore>();
        ChorusFunctions.Signup.SignupEntity?[] rows = await Task.WhenAll(ids.Select(id => store.GetAsync(id, CancellationToken.None)));
        string holder = Assert.Single(rows, r => !r!.Duplicate)!.SignupId;
        Assert.Equal(holder, (await fixture.Stack.Services.GetRequiredService<ChorusFunctions.Accounts.EmailReservationStore>().GetAsync(email, CancellationToken.None))!.SignupId);
    }

    [Fact]
    public async Task Step_one_prefills_from_the_register_and_refuses_bad_input()
    {
        ApiClient.Response known = await api.StartAsync(Sirets.NewEmail("prefill"), "449 426 030 00135");
        Assert.Equal(HttpStatusCode.Created, known.Status);
        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", known.Body!["structure"]!["companyName"]!.GetValue<string>());
        Assert.True(known.Body!["structure"]!["prefilled"]!.GetValue<bool>());
        Assert.StartsWith("/api/signups/", known.Raw.Headers.Location!.OriginalString, StringComparison.Ordinal);

        ApiClient.Response invalid = await api.StartAsync("pas-une-adresse", "12345678901234");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("validation_failed", invalid.Code);
        Assert.NotNull(invalid.Body!["errors"]!["loginEmail"]);
        Assert.NotNull(invalid.Body!["errors"]!["identifier"]);
    }

    [Fact]
    public async Task Steps_out_of_order_and_unknown_signups_answer_409_and_404()
    {
        string email = Sirets.NewEmail("order");
        string signupId = (await api.StartAsync(email)).Text("signupId");
        ApiClient.Response early = await api.WorkspacesAsync(signupId);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("step_out_of_order", early.Code);

        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status); // going back a step and re-sending is fine
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status); // the same step repeated is idempotent
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status); // idempotent replay of step 2

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetSignupAsync(Guid.NewGuid().ToString("N"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetSignupAsync("not-an-id")).Status);
    }

    [Fact]
    public async Task Going_back_to_step_one_cancels_the_signup_and_frees_the_email()
    {
        string email = Sirets.NewEmail("cancel");
        string signupId = (await api.StartAsync(email)).Text("signupId");
        ApiClient.Response cancelled = await api.SendAsync(HttpMethod.Delete, $"api/signups/{signupId}");
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("Cancelled", cancelled.Text("status"));
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await api.DetailsAsync(signupId, email)).Status);
    }

    [Fact]
    public async Task The_link_in_the_email_opens_the_activation_page_of_this_host()
    {
        string email = Sirets.NewEmail("link");
        await api.UntilActivationEmailAsync(email);
        Mailbox.Message message = await fixture.Stack.Mailbox.WaitForMessageAsync(email);
        Uri link = new(System.Text.RegularExpressions.Regex.Match(message.PlainText, @"https?://\S+token=\S+").Value);
        Assert.Equal(fixture.Stack.BaseUrl.Authority, link.Authority);
        using HttpResponseMessage page = await api.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task A_new_link_replaces_the_old_one_and_deactivation_frees_the_email()
    {
        string email = Sirets.NewEmail("resend");
        (string signupId, string first) = await api.UntilActivationEmailAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).Status);
        string second = Mailbox.ActivationToken(await fixture.Stack.Mailbox.WaitForMessageAsync(email, 2));
        Assert.NotEqual(first, second);

        ApiClient.Response stale = await api.SendAsync(HttpMethod.Get, $"api/activations/{first}");
        Assert.Equal(HttpStatusCode.Gone, stale.Status);
        Assert.True(stale.Body!["canRequestNewLink"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/activations/{second}/deactivation")).Status);
        Assert.Equal("Cancelled", (await api.GetSignupAsync(signupId)).Text("status"));
        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
    }
}
