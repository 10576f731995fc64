using ChorusFunctions.Storage;
using Azure.Data.Tables;
using Azure;
using ChorusFunctions.Accounts;
using ChorusFunctions.Activation;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Orchestration;

public sealed class SignupOrchestrationTests
{
    [Fact]
    public async Task Happy_path_creates_the_account_sends_the_link_and_activates()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();

        SignupEntity waiting = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.Equal(SignupStatus.AwaitingActivation, waiting.Status);
        Assert.Null(waiting.Role); // decided at activation: a pending account holds no role
        Assert.Null(await harness.Services.GetRequiredService<StructureStore>().GetAsync(waiting.StructureKey, default));
        Assert.Equal(EmailDelivery.Sent, waiting.EmailDelivery);
        // The orchestration shows the step once the activity that sent the link has returned.
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        OrchestrationMetadata? running;
        while (!((running = await harness.Client.GetInstanceAsync(signupId, getInputsAndOutputs: true))?.SerializedCustomStatus?.Contains("AwaitingActivation", StringComparison.Ordinal) ?? false))
        {
            Assert.True(DateTime.UtcNow < until, $"Custom status: {running?.SerializedCustomStatus}");
            await Task.Delay(50);
        }

        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));
        ActivationView view = Expect(await harness.Activations.GetAsync(token, default));
        Assert.Equal(email, view.LoginEmail);
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));

        OrchestrationMetadata completed = await harness.WaitForCompletionAsync(signupId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        EmailMessage welcome = await harness.Emails.WaitForDeliveredAsync(email, 2);
        Assert.EndsWith(":welcome", welcome.IdempotencyKey, StringComparison.Ordinal);
        Assert.Contains("Active", completed.SerializedOutput, StringComparison.Ordinal);
        AccountEntity account = (await harness.Services.GetRequiredService<AccountStore>().GetAsync(signupId, default))!;
        Assert.Equal(AccountStatus.Active, account.Status);
        Assert.True(SecretHasher.Verify("Jardin-Truffaut-2026", account.PasswordHash!));
        Assert.True(SecretHasher.Verify("corbeil", account.SecretAnswerHash!));
        Assert.NotNull(await harness.Services.GetRequiredService<StructureStore>().GetAsync(waiting.StructureKey, default));

        // No secret in the orchestration's input, output or custom status.
        foreach (string? serialized in new[] { completed.SerializedInput, completed.SerializedOutput, completed.SerializedCustomStatus })
        {
            Assert.DoesNotContain(token, serialized ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("Jardin-Truffaut-2026", serialized ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("Corbeil", serialized ?? "", StringComparison.OrdinalIgnoreCase);
        }

        // The link is single use.
        Assert.Equal(ErrorCodes.LinkInvalid, (await harness.Activations.GetAsync(token, default)).Problem?.Code);
    }

    [Fact]
    public async Task Details_deadline_expires_the_signup_and_frees_the_email()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Signup:StepDeadline"] = "00:00:02", ["Cleanup:Grace"] = "00:00:00" });
        string email = Sirets.NewEmail("deadline1");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));

        OrchestrationMetadata completed = await harness.WaitForCompletionAfterLooksAsync(started.SignupId);
        Assert.Contains("Expired", completed.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.SignupExpired, (await harness.Signups.SubmitDetailsAsync(started.SignupId, ValidDetails(email), default)).Problem?.Code);
        Assert.Null(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default));
        Assert.True((await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default)).Succeeded);
    }

    [Fact]
    public async Task Workspaces_deadline_expires_the_signup()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Signup:StepDeadline"] = "00:00:03", ["Cleanup:Grace"] = "00:00:00" });
        string email = Sirets.NewEmail("deadline2");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(started.SignupId, email);

        OrchestrationMetadata completed = await harness.WaitForCompletionAfterLooksAsync(started.SignupId);
        Assert.Contains("Expired", completed.SerializedOutput, StringComparison.Ordinal);
        SignupEntity signup = Expect(await harness.Signups.GetAsync(started.SignupId, default));
        Assert.Equal(SignupStatus.Expired, signup.Status);
        Assert.True(signup.Released);
        Assert.Null(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default));
    }

    [Fact]
    public async Task Activation_deadline_expires_the_account_and_releases_the_email_having_never_claimed_the_structure()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Signup:ActivationDeadline"] = "00:00:04" });
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        SignupEntity before = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.Null(await harness.Services.GetRequiredService<StructureStore>().GetAsync(before.StructureKey, default));

        OrchestrationMetadata completed = await harness.WaitForCompletionAsync(signupId);
        Assert.Contains("Expired", completed.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(AccountStatus.Expired, (await harness.Services.GetRequiredService<AccountStore>().GetAsync(signupId, default))!.Status);
        Assert.Null(await harness.Services.GetRequiredService<StructureStore>().GetAsync(before.StructureKey, default));
        Assert.Null(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default));

        EmailMessage expiredNotice = await harness.Emails.WaitForDeliveredAsync(email, 2);
        Assert.EndsWith(":expired", expiredNotice.IdempotencyKey, StringComparison.Ordinal);

        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email, 1));
        Http.ApiProblem problem = (await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default)).Problem!;
        Assert.Equal(410, problem.Status);
    }

    [Fact]
    public async Task A_new_link_replaces_the_previous_one()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string first = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email, 1));

        Expect(await harness.Signups.RequestNewLinkAsync(signupId, harness.Client, default));
        EmailMessage second = await harness.Emails.WaitForDeliveredAsync(email, 2);
        string secondToken = RecordingEmailSender.TokenOf(second);
        Assert.NotEqual(first, secondToken);
        Assert.Contains("nouveau lien", second.Subject, StringComparison.OrdinalIgnoreCase);

        Http.ApiProblem stale = (await harness.Activations.GetAsync(first, default)).Problem!;
        Assert.Equal(410, stale.Status);
        Assert.Equal(true, stale.Extensions!["canRequestNewLink"]);
        Assert.False(stale.Extensions.ContainsKey("signupId"), "A stale link's 410 must not name the signup.");

        Expect(await harness.Activations.ActivateAsync(secondToken, ValidActivation(), harness.Client, default));
        Assert.Contains("Active", (await harness.WaitForCompletionAsync(signupId)).SerializedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivation_cancels_the_signup_and_frees_the_email_at_once()
    {
        await using DurableHarness harness = await StartAsync();
        using var metrics = new ChorusFunctions.LocalHost.Telemetry.LocalMetrics(harness.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));

        Expect(await harness.Activations.DeactivateAsync(token, harness.Client, default));
        Assert.True((await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default)).Succeeded);

        OrchestrationMetadata completed = await harness.WaitForCompletionAsync(signupId);
        Assert.Contains("Cancelled", completed.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(AccountStatus.Cancelled, (await harness.Services.GetRequiredService<AccountStore>().GetAsync(signupId, default))!.Status);
        Assert.Equal(SignupStatus.Cancelled, Expect(await harness.Signups.GetAsync(signupId, default)).Status);

        // Counted once, although both the HTTP step and the orchestration's release went through the end of the signup.
        Assert.Equal(1, metrics.Snapshot().Single(m => m.Name == "chorus.signups.cancelled").Count);
        Assert.Equal(2, metrics.Snapshot().Single(m => m.Name == "chorus.signups.started").Count);
    }

    [Fact]
    public async Task A_signup_cancelled_before_step_three_ends_at_once_and_frees_the_email()
    {
        await using DurableHarness harness = await StartAsync();
        string email = Sirets.NewEmail("cancel");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(started.SignupId, email);

        Assert.Equal(SignupStatus.Cancelled, Expect(await harness.Signups.CancelAsync(started.SignupId, harness.Client, default)).Status);
        Assert.True((await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default)).Succeeded);
        OrchestrationMetadata completed = await harness.WaitForCompletionAsync(started.SignupId, TimeSpan.FromSeconds(30));
        Assert.Contains("Cancelled", completed.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(SignupStatus.Cancelled, Expect(await harness.Signups.CancelAsync(started.SignupId, harness.Client, default)).Status); // idempotent
    }

    [Fact]
    public async Task A_signup_past_step_three_cannot_be_cancelled_that_way()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, _) = await harness.SignupUntilActivationEmailAsync();
        Assert.Equal(ErrorCodes.StepOutOfOrder, (await harness.Signups.CancelAsync(signupId, harness.Client, default)).Problem?.Code);
    }

    [Fact]
    public async Task Activation_racing_expiry_has_exactly_one_winner()
    {
        await using DurableHarness harness = await StartAsync();
        var signups = new List<(string Id, string Email, string Token)>();
        for (int i = 0; i < 6; i++)
        {
            (string id, string email) = await harness.SignupUntilActivationEmailAsync();
            signups.Add((id, email, RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email))));
        }

        // Activation (the HTTP step) resolves its link just before the deadline and decides just after it, while the
        // expiry (what the deadline's activity does) tries as soon as the deadline passes.
        SignupStateMachine machine = harness.Services.GetRequiredService<SignupStateMachine>();
        SignupStore store = harness.Services.GetRequiredService<SignupStore>();
        var outcomes = await Task.WhenAll(signups.Select(async s =>
        {
            DateTimeOffset deadline = DateTimeOffset.UtcNow.AddMilliseconds(150);
            await store.MutateAsync(s.Id, _ => true, row =>
            {
                row.ExpiresAt = deadline;
            }, default);
            Task<Outcome<ActivationResult>> activation = Task.Run(() => harness.Activations.ActivateAsync(s.Token, ValidActivation(), harness.Client, default));
            Task<SignupStatus> expiry = Task.Run(async () =>
            {
                await Task.Delay(deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
                while (true)
                {
                    SignupEntity row = (await machine.ExpireAsync(s.Id, default)).Row!;
                    if (row.Status.IsTerminal())
                    {
                        // As the deadline's own activity would, the orchestration then does what the row owes.
                        await harness.Services.GetRequiredService<SignupWatch>().WakeAsync(row, harness.Client, default);
                        return row.Status;
                    }

                    await Task.Delay(10);
                }
            });
            return (s, Activated: (await activation).Succeeded, Expired: await expiry);
        }));

        foreach (var (s, activated, expiredAs) in outcomes)
        {
            AccountEntity account = (await harness.Services.GetRequiredService<AccountStore>().GetAsync(s.Id, default))!;
            EmailReservationStore reservations = harness.Services.GetRequiredService<EmailReservationStore>();
            if (activated)
            {
                Assert.Equal(SignupStatus.Active, expiredAs); // the expiry saw the activation and kept everything
                Assert.Equal(AccountStatus.Active, account.Status);
                SignupEntity signup = await WaitForAsync(harness, s.Id, r => r.Finalized);
                Assert.Equal(SignupStatus.Active, signup.Status);
                Assert.Equal(s.Id, (await reservations.GetAsync(s.Email, default))!.SignupId); // held by the account for good
            }
            else
            {
                Assert.Equal(SignupStatus.Expired, expiredAs);
                Assert.Equal(AccountStatus.Expired, account.Status);
                SignupEntity signup = await WaitForAsync(harness, s.Id, r => r.Released);
                Assert.Equal(SignupStatus.Expired, signup.Status);
                Assert.Null(await reservations.GetAsync(s.Email, default));
            }
        }
    }

    [Fact]
    public async Task Step_three_sends_the_link_before_it_answers_and_the_orchestration_sleeps_from_its_step()
    {
        await using DurableHarness harness = await StartAsync();
        string email = Sirets.NewEmail("inline-link");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(started.SignupId, email);

        SignupEntity answered = Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));

        Assert.Equal(EmailDelivery.Sent, answered.EmailDelivery); // the answer shows the link sent
        Assert.Single(harness.Emails.Delivered, m => m.To == email);
        Assert.True(Assert.Single(harness.Emails.Delivered, m => m.To == email).FollowDelivery); // an address not proven yet: its verdict is awaited
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        OrchestrationMetadata? running;
        while ((running = await harness.Client.GetInstanceAsync(started.SignupId, getInputsAndOutputs: true))?.RuntimeStatus != OrchestrationRuntimeStatus.Running
            || !(running.SerializedCustomStatus?.Contains("AwaitingActivation", StringComparison.Ordinal) ?? false))
        {
            Assert.True(DateTime.UtcNow < until, $"Instance: {running?.RuntimeStatus} {running?.SerializedCustomStatus}");
            await Task.Delay(50);
        }

        await Task.Delay(500);
        Assert.Single(harness.Emails.Attempts, m => m.To == email); // the orchestration sent nothing of its own
    }

    [Fact]
    public async Task The_activation_finalizes_and_sends_the_welcome_itself_and_the_orchestration_ends_on_its_step()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));

        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));

        // Done when the activation answers: the person does not wait for the orchestration's next turn.
        SignupEntity row = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.True(row.Finalized);
        Assert.False(SignupStateMachine.NoticeOwed(row));
        EmailMessage welcome = Assert.Single(harness.Emails.Delivered, m => m.To == email && m.IdempotencyKey.EndsWith(":welcome", StringComparison.Ordinal));
        Assert.False(welcome.FollowDelivery); // the address has just proven itself
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WaitForCompletionAsync(signupId)).RuntimeStatus);
        Assert.Single(harness.Emails.Attempts, m => m.To == email && m.IdempotencyKey.EndsWith(":welcome", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_activation_sent_again_before_the_row_followed_the_first_gets_the_first_answer_and_only_the_same_request_does()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        await harness.WaitForCompletionAsync(signupId);

        // As when the first copy's host died between the account's decision and the row's following it: the link
        // still resolves, and only the account's compare-and-swap tells that it was decided.
        TableClient rows = harness.Services.GetRequiredService<TableClients>().Get(TableNames.Signups);
        await rows.UpdateEntityAsync(new TableEntity(signupId, SignupEntity.Row) { ["Status"] = nameof(SignupStatus.AwaitingActivation) }, ETag.All, TableUpdateMode.Merge);

        Assert.Equal(ErrorCodes.LinkInvalid, (await harness.Activations.ActivateAsync(token, ValidActivation() with { Password = "Autre-Mot-De-Passe-2026", PasswordConfirmation = "Autre-Mot-De-Passe-2026" }, harness.Client, default)).Problem?.Code);
        ActivationResult again = Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        Assert.Equal(SignupStatus.Active, again.Status);
        Assert.Equal(SignupStatus.Active, (await WaitForAsync(harness, signupId, r => r.Status == SignupStatus.Active)).Status); // followed again
    }

    [Fact]
    public async Task A_turn_that_fails_at_the_activation_is_left_to_the_orchestration_which_finishes_it()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));

        harness.Emails.FailNext(1);
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        // The failed welcome left the finalization recorded: the role stands while the email waits for its retry.
        SignupEntity decided = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.True(decided.Finalized);
        Assert.Equal(MemberRole.GestionnairePrincipal, decided.Role);

        OrchestrationMetadata completed = await harness.WaitForCompletionAsync(signupId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Contains("Active", completed.SerializedOutput, StringComparison.Ordinal);
        SignupEntity row = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.True(row.Finalized);
        Assert.False(SignupStateMachine.NoticeOwed(row));
        Assert.Equal(2, harness.Emails.Attempts.Count(m => m.To == email && m.IdempotencyKey.EndsWith(":welcome", StringComparison.Ordinal)));
        Assert.Single(harness.Emails.Delivered, m => m.To == email && m.IdempotencyKey.EndsWith(":welcome", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_send_is_retried_with_the_same_link_and_idempotency_key()
    {
        await using DurableHarness harness = await StartAsync();
        harness.Emails.FailNext(2);
        (_, string email) = await harness.SignupUntilActivationEmailAsync();

        EmailMessage[] attempts = harness.Emails.Attempts.Where(m => m.To == email).ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.Single(attempts.Select(m => m.IdempotencyKey).Distinct());
        Assert.Single(attempts.Select(RecordingEmailSender.TokenOf).Distinct());
        Assert.Single(harness.Emails.Delivered, m => m.To == email);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_the_signup_shows_it_and_a_new_link_can_be_sent()
    {
        await using DurableHarness harness = await StartAsync();
        harness.Emails.FailNext(1, () => new PermanentEmailFailureException("550 mailbox unavailable"));
        string email = Sirets.NewEmail("permanent");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(started.SignupId, email);
        Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));

        SignupEntity failed = await WaitForAsync(harness, started.SignupId, s => s.EmailDelivery == EmailDelivery.Failed);
        Assert.Equal(SignupStatus.AwaitingActivation, failed.Status);
        Assert.Single(harness.Emails.Attempts, m => m.To == email);

        Expect(await harness.Signups.RequestNewLinkAsync(started.SignupId, harness.Client, default));
        await harness.Emails.WaitForDeliveredAsync(email);
        await WaitForAsync(harness, started.SignupId, s => s.EmailDelivery == EmailDelivery.Sent);
    }

    static async Task<SignupEntity> WaitForAsync(DurableHarness harness, string signupId, Func<SignupEntity, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            SignupEntity signup = Expect(await harness.Signups.GetAsync(signupId, default));
            if (condition(signup))
            {
                return signup;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Signup {signupId} never reached the expected state (status {signup.Status}, email {signup.EmailDelivery}).");
            await Task.Delay(100);
        }
    }
}
