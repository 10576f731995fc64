using ChorusFunctions.Accounts;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;
using ChorusFunctions.Sweep;

namespace ChorusFunctions.Tests.Cleanup;

/// <summary>The cleanup timer's work, as the backstop behind lost orchestrations.</summary>
public sealed class CleanupTests
{
    [Fact]
    public async Task Repairs_a_signup_whose_orchestration_was_lost_and_leaves_live_ones_alone()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Cleanup:Grace"] = "00:00:00" });
        string email = Sirets.NewEmail("lost");
        // Past step 3, its orchestration is gone (terminated, as after a failure) and the deadline is past.
        (string lostId, _) = await harness.SignupUntilActivationEmailAsync(email);
        SignupEntity lost = Expect(await harness.Signups.GetAsync(lostId, default));
        await harness.Client.TerminateInstanceAsync(lost.SignupId);
        await harness.WaitForCompletionAsync(lost.SignupId);
        await harness.Services.GetRequiredService<SignupStore>().MutateAsync(lost.SignupId, _ => true, row =>
        {
            row.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        }, default);
        await harness.Services.GetRequiredService<ExpiryIndex>().AddAsync(ExpiryKind.Signup, lost.SignupId, DateTimeOffset.UtcNow.AddMinutes(-1), default);
        string liveEmail = Sirets.NewEmail("live");
        SignupEntity live = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(liveEmail, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(live.SignupId, liveEmail);

        CleanupReport report = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);

        // A new orchestration takes over from the row and does what it owes: expire and release.
        Assert.True(report.SignupsRepaired >= 1, $"Nothing repaired; the row: {Expect(await harness.Signups.GetAsync(lost.SignupId, default)).Status}.");
        OrchestrationMetadata repaired = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(lost.SignupId, 1));
        Assert.Contains("Expired", repaired.SerializedOutput, StringComparison.Ordinal);
        SignupEntity released = Expect(await harness.Signups.GetAsync(lost.SignupId, default));
        Assert.Equal(SignupStatus.Expired, released.Status);
        Assert.True(released.Released);
        Assert.Equal(1, released.Generation);
        Assert.Null(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(email, default));
        Assert.Equal(SignupStatus.AwaitingWorkspaces, Expect(await harness.Signups.GetAsync(live.SignupId, default)).Status);
        Assert.NotNull(await harness.Services.GetRequiredService<EmailReservationStore>().GetAsync(liveEmail, default));

        // The index entries it handled are gone: the next run reads nothing of them.
        CleanupReport again = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);
        Assert.Equal(0, again.SignupsRepaired);
    }

    [Fact]
    public async Task Erases_the_personal_data_of_ended_signups_after_the_retention_and_never_that_of_an_active_account()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Privacy:Retention"] = "00:00:01",
            ["Signup:StepDeadline"] = "00:00:02",
            ["Cleanup:Grace"] = "00:00:00",
        });
        AccountStore accounts = harness.Services.GetRequiredService<AccountStore>();

        // Closed at step 4 ("Désactiver mon compte"): a signup row and a never-activated account.
        (string closedId, string closedEmail) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("retention-closed"));
        Expect(await harness.Activations.DeactivateAsync(RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(closedEmail)), harness.Client, default));
        // Expired at step 2, by the cleanup's look at its deadline (the loop below runs it): a signup row only.
        string expiredEmail = Sirets.NewEmail("retention-expired");
        SignupEntity expired = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(expiredEmail, "SIRET", Sirets.NewValid()), "fr", default));
        // Active: kept whole.
        (string activeId, string activeEmail) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("retention-active"));
        Expect(await harness.Activations.ActivateAsync(RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(activeEmail)), ValidActivation(), harness.Client, default));
        await harness.WaitForCompletionAsync(closedId);
        await harness.WaitForCompletionAsync(activeId);

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        SignupEntity closed, lapsed;
        while (true)
        {
            await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);
            closed = Expect(await harness.Signups.GetAsync(closedId, default));
            lapsed = Expect(await harness.Signups.GetAsync(expired.SignupId, default));
            if (closed.ErasedAt is not null && lapsed.ErasedAt is not null)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "The ended signups were not erased after the retention.");
            await Task.Delay(200);
        }

        var keys = harness.Services.GetRequiredService<ChorusFunctions.Security.SecurityKeys>();
        foreach ((SignupEntity row, string email) in new[] { (closed, closedEmail), (lapsed, expiredEmail) })
        {
            Assert.Equal(keys.Pseudonym("email", email), row.LoginEmail); // still matches the audit trail's pseudonyms
            Assert.Null(row.LastName);
            Assert.Null(row.FirstName);
            Assert.Null(row.ContactEmail);
            Assert.Null(row.Address);
            Assert.Null(row.CompanyName);
            Assert.NotEqual(SignupStatus.Active, row.Status); // the status and dates stay, for statistics
        }

        AccountEntity closedAccount = (await accounts.GetAsync(closedId, default))!;
        Assert.Equal(keys.Pseudonym("email", closedEmail), closedAccount.LoginEmail);
        Assert.Equal("", closedAccount.LastName);
        Assert.Equal("", closedAccount.ContactEmail);

        SignupEntity active = Expect(await harness.Signups.GetAsync(activeId, default));
        Assert.Null(active.ErasedAt);
        Assert.Equal(activeEmail, active.LoginEmail);
        Assert.Equal("Lucas", active.LastName);
        Assert.Equal(activeEmail, (await accounts.GetAsync(activeId, default))!.LoginEmail);
    }

    [Fact]
    public async Task Deletes_expired_activation_tokens_and_purges_old_finished_history()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Cleanup:Grace"] = "00:00:00",
            ["Cleanup:HistoryRetention"] = "00:00:01",
            ["Signup:ActivationLinkLifetime"] = "00:00:05",
        });
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.DeactivateAsync(token, harness.Client, default));
        await harness.WaitForCompletionAsync(signupId);

        // Past the link's lifetime (its row says until when) and the history retention.
        var tokens = harness.Services.GetRequiredService<ChorusFunctions.Security.ActivationTokenStore>();
        DateTimeOffset linkExpiresAt = (await tokens.GetAsync(ChorusFunctions.Security.ActivationTokens.Hash(token), default))!.ExpiresAt;
        await Task.Delay((linkExpiresAt - DateTimeOffset.UtcNow) is { Ticks: > 0 } wait ? wait + TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1.2));

        CleanupReport report = await harness.Services.GetRequiredService<CleanupService>().RunAsync(harness.Client, default);

        Assert.True(report.TokensDeleted >= 1);
        Assert.Null(await harness.Services.GetRequiredService<ChorusFunctions.Security.ActivationTokenStore>().GetAsync(ChorusFunctions.Security.ActivationTokens.Hash(token), default));
        Assert.True(report.InstancesPurged >= 1);
        Assert.Null(await harness.Client.GetInstanceAsync(signupId));
    }
}
