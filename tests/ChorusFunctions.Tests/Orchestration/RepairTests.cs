using ChorusFunctions.Accounts;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;
using ChorusFunctions.Sweep;

namespace ChorusFunctions.Tests.Orchestration;

/// <summary>
/// The row is the source of truth: a signup whose orchestration is gone or stuck is moved to a new one that starts
/// again from the row, and a step 1 sent again finishes what its first attempt could not.
/// </summary>
public sealed class RepairTests
{
    static readonly Dictionary<string, string?> QuickRepair = new() { ["Cleanup:StallAfter"] = "00:00:01" };

    /// <summary>Runs the cleanup, as its timer would, until it repairs something (what is owed must first wait StallAfter).</summary>
    static async Task<bool> RepairedWithinAsync(DurableHarness harness, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        CleanupService cleanup = harness.Services.GetRequiredService<CleanupService>();
        while (DateTime.UtcNow < deadline)
        {
            if ((await cleanup.RunAsync(harness.Client, default)).SignupsRepaired > 0)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    [Fact]
    public async Task An_orchestration_that_missed_the_activation_is_woken_by_the_look_and_ends_and_a_joiner_s_follows_its_request()
    {
        await using DurableHarness harness = await StartAsync(QuickRepair);
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("missed-gp");
        foreach (string email in new[] { gestionnaire, Sirets.NewEmail("missed-joiner") })
        {
            (string signupId, _) = await harness.SignupUntilActivationEmailAsync(email, siret);
            SignupEntity waiting = Expect(await harness.Signups.GetAsync(signupId, default));

            // What an activation leaves when its event is dropped (sent before the start it follows was processed):
            // the account decided and the row settled by the request's own turn, the orchestration asleep.
            await harness.Services.GetRequiredService<SignupWatch>().BookLookAsync(signupId, default);
            Assert.Equal(AccountStatus.Active, await harness.Services.GetRequiredService<SignupStateMachine>().ActivateAsync(
                signupId, waiting.CurrentTokenHash!, "pbkdf2-sha512$1$c2Vs$aGFzaA==", "Ville de naissance", "pbkdf2-sha512$1$c2Vs$aGFzaA==", default));
            await harness.Lifecycle.AdvanceAsync(new AdvanceSignupInput(signupId, signupId), default);
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await harness.Client.GetInstanceAsync(signupId))!.RuntimeStatus);

            DateTime until = DateTime.UtcNow.AddSeconds(20);
            CleanupService cleanup = harness.Services.GetRequiredService<CleanupService>();
            OrchestrationMetadata? instance;
            while ((instance = await harness.Client.GetInstanceAsync(signupId, getInputsAndOutputs: true)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running }
                && !(instance.SerializedCustomStatus?.Contains("\"Step\":\"Active\"", StringComparison.Ordinal) ?? false))
            {
                Assert.True(DateTime.UtcNow < until, $"Still asleep: {instance.SerializedCustomStatus}");
                await cleanup.RunAsync(harness.Client, default);
                await Task.Delay(250);
            }

            // The gestionnaire principal's ends; the joiner's follows its joining request, whose email goes out.
            if (email == gestionnaire)
            {
                Assert.Contains("Active", (await harness.WaitForCompletionAsync(signupId)).SerializedOutput, StringComparison.Ordinal);
            }
            else
            {
                await harness.Emails.WaitForPurposeAsync(gestionnaire, ":joining-request");
            }
        }
    }

    [Fact]
    public async Task A_signup_whose_host_died_between_step_three_and_the_start_gets_its_link_from_a_look_and_activates()
    {
        await using DurableHarness harness = await StartAsync(QuickRepair);
        string email = Sirets.NewEmail("repair-start");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(started.SignupId, email);

        // What step 3 leaves when its host dies right after the transition: the look it booked, and no orchestration.
        await harness.Services.GetRequiredService<SignupWatch>().BookLookAsync(started.SignupId, default);
        Assert.True((await harness.Services.GetRequiredService<SignupStateMachine>().SubmitWorkspacesAsync(
            started.SignupId, "FACTURES_EMISES", TimeSpan.FromDays(7),
            ActivationTokens.Hash(harness.Services.GetRequiredService<ActivationTokens>().ActivationLink(started.SignupId, 1)), default)).Applied);
        Assert.Null(await harness.Client.GetInstanceAsync(started.SignupId));

        Assert.True(await RepairedWithinAsync(harness, TimeSpan.FromSeconds(20)));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Assert.Equal(0, Expect(await harness.Signups.GetAsync(started.SignupId, default)).Generation); // started, not replaced
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        OrchestrationMetadata done = await harness.WaitForCompletionAsync(started.SignupId);
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(0, (await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default)).SignupsRepaired);
    }

    [Fact]
    public async Task A_signup_whose_orchestration_died_gets_its_new_link_from_a_new_one_and_activates()
    {
        await using DurableHarness harness = await StartAsync(QuickRepair);
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("repair"));
        SignupEntity waiting = Expect(await harness.Signups.GetAsync(signupId, default));
        await harness.Client.TerminateInstanceAsync(signupId);
        await harness.WaitForCompletionAsync(signupId);

        // The user asks for a new link; its wake-up reaches nobody.
        Expect(await harness.Signups.RequestNewLinkAsync(signupId, harness.Client, default));
        Assert.True(await RepairedWithinAsync(harness, TimeSpan.FromSeconds(20)));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email, count: 2));
        SignupEntity repaired = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.Equal(1, repaired.Generation);
        Assert.Equal(2, repaired.LinkSequence);
        Assert.Equal(waiting.ExpiresAt, repaired.ExpiresAt); // the deadlines are the row's, kept
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        OrchestrationMetadata done = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(repaired));
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(signupId, (await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default))!.SignupId);

        // The repair is in the audit trail, and nothing is repaired twice.
        Assert.Equal(0, (await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default)).SignupsRepaired);
    }

    [Fact]
    public async Task An_account_activated_by_a_request_that_died_before_the_signup_followed_is_finalized()
    {
        await using DurableHarness harness = await StartAsync(QuickRepair);
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();

        // What a host killed right after the account's compare-and-swap leaves: an active account, a signup row
        // behind it, and an orchestration (still running) that was never told.
        await harness.Services.GetRequiredService<AccountStore>().TryLeavePendingAsync(signupId, AccountStatus.Active, account =>
        {
            account.PasswordHash = Activation.SecretHasher.Hash("Jardin-Truffaut-2026");
            account.ActivatedAt = DateTimeOffset.UtcNow;
        }, default);
        Assert.True(await RepairedWithinAsync(harness, TimeSpan.FromSeconds(20)));

        OrchestrationMetadata done = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(signupId, 1));
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        SignupEntity finalized = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.Equal(SignupStatus.Active, finalized.Status);
        Assert.True(finalized.Finalized);
        await harness.Emails.WaitForPurposeAsync(email, "welcome");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await harness.Client.GetInstanceAsync(signupId))!.RuntimeStatus);
    }

    [Fact]
    public async Task A_signup_that_outlives_an_execution_continues_as_new_and_activates()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Signup:TurnsPerExecution"] = "2" });
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));

        OrchestrationMetadata done = await harness.WaitForCompletionAsync(signupId);
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        Assert.True(Expect(await harness.Signups.GetAsync(signupId, default)).Finalized);
        await harness.Emails.WaitForPurposeAsync(email, "welcome");
    }

    [Fact]
    public async Task Step_one_sent_again_with_its_key_is_answered_as_the_first_time_and_starts_nothing()
    {
        await using DurableHarness harness = await StartAsync();
        string email = Sirets.NewEmail("replay");
        var request = new CreateSignupRequest(email, "SIRET", Sirets.NewValid());
        string key = Guid.NewGuid().ToString();
        SignupEntity first = Expect(await harness.Signups.StartAsync(request, "fr", default, key));
        SignupEntity again = Expect(await harness.Signups.StartAsync(request, "fr", default, key));

        Assert.Equal(first.SignupId, again.SignupId);
        Assert.Null(await harness.Client.GetInstanceAsync(first.SignupId));
        await harness.SubmitDetailsAsync(again.SignupId, email);
        Expect(await harness.Signups.SubmitWorkspacesAsync(again.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        await harness.Emails.WaitForDeliveredAsync(email);
    }
}
