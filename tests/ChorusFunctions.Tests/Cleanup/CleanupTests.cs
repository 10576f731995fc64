using ChorusFunctions.Cleanup;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Cleanup;

/// <summary>The cleanup timer's work, as the backstop behind lost orchestrations.</summary>
public sealed class CleanupTests
{
    [Fact]
    public async Task Repairs_a_signup_whose_orchestration_was_lost_and_leaves_live_ones_alone()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Cleanup:Grace"] = "00:00:00" });
        string email = Sirets.NewEmail("lost");
        SignupEntity lost = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", harness.Client, default));
        await harness.SubmitDetailsAsync(lost.SignupId, email);
        // The orchestration is gone (terminated, as after a failure) and the deadline is past.
        await harness.Client.TerminateInstanceAsync(lost.SignupId);
        await harness.Services.GetRequiredService<SignupStore>().MutateAsync(lost.SignupId, row =>
        {
            row.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            return true;
        }, default);
        await harness.Services.GetRequiredService<ExpiryIndex>().AddAsync(ExpiryKind.Signup, lost.SignupId, DateTimeOffset.UtcNow.AddMinutes(-1), default);
        string liveEmail = Sirets.NewEmail("live");
        SignupEntity live = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(liveEmail, "SIRET", Sirets.NewValid()), "fr", harness.Client, default));
        await harness.SubmitDetailsAsync(live.SignupId, liveEmail);

        CleanupReport report = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);

        // A new orchestration takes over from the row and does what it owes: expire and release.
        Assert.True(report.SignupsRepaired >= 1);
        OrchestrationMetadata repaired = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(lost.SignupId, 1));
        Assert.Contains("Expired", repaired.SerializedOutput, StringComparison.Ordinal);
        SignupEntity released = Expect(await harness.Signups.GetAsync(lost.SignupId, default));
        Assert.Equal(nameof(SignupStatus.Expired), released.Status);
        Assert.True(released.Released);
        Assert.Equal(1, released.Generation);
        Assert.Null(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default));
        Assert.Equal(nameof(SignupStatus.AwaitingWorkspaces), Expect(await harness.Signups.GetAsync(live.SignupId, default)).Status);
        Assert.NotNull(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(liveEmail, default));

        // The index entries it handled are gone: the next run reads nothing of them.
        CleanupReport again = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);
        Assert.Equal(0, again.SignupsRepaired);
    }

    [Fact]
    public async Task Deletes_expired_activation_tokens_and_purges_old_finished_history()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Cleanup:Grace"] = "00:00:00",
            ["Cleanup:HistoryRetention"] = "00:00:01",
            ["Signup:ActivationLinkLifetime"] = "00:00:01",
        });
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.DeactivateAsync(token, harness.Client, default));
        await harness.WaitForCompletionAsync(signupId);
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the link's lifetime and the history retention

        CleanupReport report = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);

        Assert.True(report.TokensDeleted >= 1);
        Assert.Null(await harness.Services.GetRequiredService<Activation.ActivationTokenStore>().GetAsync(Activation.ActivationTokens.Hash(token), default));
        Assert.True(report.InstancesPurged >= 1);
        Assert.Null(await harness.Client.GetInstanceAsync(signupId));
    }
}
